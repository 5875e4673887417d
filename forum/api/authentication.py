"""How API clients prove who they are."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """A token sent as `Authorization: Bearer <token>`.

    The standard scheme name lets generic OpenAPI clients and fuzzers attach
    the token without knowing this API.
    """

    keyword = "Bearer"


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A token from POST /api/v1/auth/token/, sent as "
                "`Authorization: Bearer <token>`."
            ),
        }
