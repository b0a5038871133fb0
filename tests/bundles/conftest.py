from ..platform.conftest import client, make_user, organiser  # noqa: F401
