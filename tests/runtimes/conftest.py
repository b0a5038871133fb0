from ..platform.conftest import judge, make_user, organiser, participant  # noqa: F401
from ..submissions.conftest import client, fixture_evaluators  # noqa: F401
