"""How API clients prove who they are."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken
from accounts.services import api_token_digest, touch_api_token


class BearerTokenAuthentication(TokenAuthentication):
    """A token sent as `Authorization: Bearer <token>`.

    The standard scheme name lets generic OpenAPI clients and fuzzers attach
    the token without knowing this API. Tokens are looked up by the hash of
    the secret (accounts.ApiToken); one unused for API_TOKEN_IDLE_DAYS no
    longer works, and each use moves its last use (at most once a minute).
    The token in use is `request.auth`.
    """

    keyword = "Bearer"
    model = ApiToken

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=api_token_digest(key))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.is_expired:
            raise exceptions.AuthenticationFailed(
                _("This token has expired: ask for a new one.")
            )
        touch_api_token(token)
        return (token.user, token)


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A token from POST /api/v1/auth/token/ or /api/v1/auth/tokens/, "
                "sent as `Authorization: Bearer <token>`. It stops working "
                "after API_TOKEN_IDLE_DAYS (30 by default) without use."
            ),
        }
