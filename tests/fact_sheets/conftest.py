from ..platform.conftest import client, make_user, organiser, participant  # noqa: F401
