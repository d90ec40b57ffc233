"""The security tests use the survey builders: forms in three languages, compiled catalogues."""

from tests.surveys.conftest import interface_catalogues, make_survey, public_app  # noqa: F401
