"""OpenAPI details drf-spectacular cannot infer: error bodies and public reads."""

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import SAFE_METHODS

from forum.api.serializers import ErrorSerializer, ValidationErrorSerializer

_ERROR_TEXT = {
    400: "The request is not valid: messages under each field at fault.",
    401: "Not signed in, or the token is not valid.",
    403: "Signed in, but not allowed to do this (banned, not the author, "
    "locked thread...).",
    404: "No such resource, or not visible to this client.",
    405: "This method is not allowed here.",
    413: "The request body is too large.",
    409: "A request with the same Idempotency-Key is still being processed: "
    "retry after the Retry-After header's seconds.",
    415: "The request body is not JSON.",
    422: "This Idempotency-Key was already used with a different request.",
    429: "Too many requests: retry after the Retry-After header's seconds.",
}

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer"},
        "required": True,
    }
}


def errors(*codes: int) -> dict:
    """The error responses an operation can answer, for extend_schema."""
    responses = {}
    for code in codes:
        serializer = ValidationErrorSerializer if code == 400 else ErrorSerializer
        responses[code] = OpenApiResponse(
            response=serializer, description=_ERROR_TEXT[code]
        )
    return responses


READ_ERRORS = (401, 429)
WRITE_ERRORS = (400, 401, 403, 413, 415, 429)

CONDITIONAL_PARAMETERS = [
    OpenApiParameter(
        name="ETag",
        location=OpenApiParameter.HEADER,
        response=[200, 304],
        required=True,
        type=str,
        description="Changes whenever the body changes.",
    ),
    OpenApiParameter(
        name="Last-Modified",
        location=OpenApiParameter.HEADER,
        response=[200],
        required=True,
        type=str,
        description="When the content last changed (HTTP date).",
    ),
]

IF_NONE_MATCH = OpenApiParameter(
    name="If-None-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    type=str,
    description="An ETag from an earlier response: 304 when nothing changed.",
)


class ValidationErrorScheme(OpenApiSerializerExtension):
    target_class = ValidationErrorSerializer

    def get_name(self, auto_schema, direction):
        return "ValidationError"

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "description": (
                "A list of messages under each field at fault "
                "(non_field_errors for the request as a whole), or a detail "
                "when the body could not be read."
            ),
            "properties": {"detail": {"type": "string"}},
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }


class ForumAutoSchema(AutoSchema):
    """Public reads declare no security requirement.

    They accept a token or a session (the viewer's own vote shows), but
    require none, so clients and fuzzers do not expect 401 without one.
    """

    def get_auth(self):
        if self.method in SAFE_METHODS and not getattr(
            self.view, "requires_authentication", False
        ):
            return []
        return super().get_auth()

    def _get_response_for_code(
        self, serializer, status_code, media_types=None, direction="response"
    ):
        response = super()._get_response_for_code(
            serializer, status_code, media_types, direction
        )
        if str(status_code) == "429":
            response.setdefault("headers", {}).update(RETRY_AFTER)
        return response


IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    location=OpenApiParameter.HEADER,
    required=False,
    type=str,
    description=(
        "Any string of up to 255 characters. The same request sent again "
        "with the same key stores nothing new and gets the first response "
        "back, with the header Idempotent-Replayed: true."
    ),
)
