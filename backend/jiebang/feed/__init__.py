"""The change feed: publish(topic, payload) and subscribe(topics), one listener per process."""
