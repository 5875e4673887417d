"""OpenAPI details drf-spectacular cannot infer: error bodies, public reads,
and the rules the services enforce on what a client sends.

The schema says what the server enforces, so that clients generated from it
and fuzzers reading it know which requests will be accepted.
"""

from django.conf import settings
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.permissions import SAFE_METHODS

from forum.api.pagination import KeysetCursorPagination
from forum.api.serializers import (
    ErrorSerializer,
    ForbiddenSerializer,
    ValidationErrorSerializer,
)

_ERROR_TEXT = {
    400: "The request is not valid: messages under each field at fault.",
    401: "Not signed in, or the token is not valid.",
    403: "Signed in, but not allowed to do this (banned, not the author, "
    "locked thread...).",
    404: "No such resource, or not visible to this client.",
    405: "This method is not allowed here.",
    409: "This conflicts with what is already recorded (a second report of a "
    "reply, or a request with the same Idempotency-Key still being processed: "
    "retry after the Retry-After header's seconds).",
    413: "The request body is too large.",
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
        serializer = {400: ValidationErrorSerializer, 403: ForbiddenSerializer}.get(
            code, ErrorSerializer
        )
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


class DescribedFilterScheme(DjangoFilterExtension):
    """django-filter parameters keep their help text beside a declared schema.

    drf-spectacular drops a filter's help_text when its class declares the
    schema (extend_schema_field: a pattern, bounds); the text is still true.
    """

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, name, field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, name, field
        )
        help_text = field.extra.get("help_text")
        for parameter in parameters:
            if help_text and not parameter.get("description"):
                parameter["description"] = str(help_text)
        return parameters


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


class ForbiddenScheme(OpenApiSerializerExtension):
    target_class = ForbiddenSerializer

    def get_name(self, auto_schema, direction):
        return "Forbidden"

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "required": ["detail"],
            "properties": {
                "detail": {"type": "string"},
                "ban": {
                    "type": "object",
                    "description": (
                        "Present when the write was refused because the "
                        "account is banned."
                    ),
                    "required": ["reason", "until", "appeal_url"],
                    "properties": {
                        "reason": {
                            "type": "string",
                            "description": "Why the moderators banned the account.",
                        },
                        "until": {
                            "type": "string",
                            "format": "date-time",
                            "nullable": True,
                            "description": (
                                "When the ban ends; null for a ban until lifted."
                            ),
                        },
                        "appeal_url": {
                            "type": "string",
                            "description": "The page where the ban can be appealed.",
                        },
                    },
                },
            },
        }


class ForumAutoSchema(AutoSchema):
    """Public reads declare no security requirement.

    They accept a token or a session (the viewer's own vote shows), but
    require none, so clients and fuzzers do not expect 401 without one.
    """

    def _get_response_bodies(self, direction="response"):
        # A cursor that leads to no page answers 404 on every cursor list.
        bodies = super()._get_response_bodies(direction)
        if (
            self.method == "GET"
            and "404" not in bodies
            and isinstance(self._get_paginator(), KeysetCursorPagination)
            and self._is_list_view()
        ):
            bodies["404"] = self._get_response_for_code(
                errors(404)[404], "404", direction=direction
            )
        return bodies

    def get_auth(self):
        # A view that reads no credentials (the token exchange) needs none.
        if not self.view.get_authenticators():
            return []
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


# What forum.services._clean_body accepts: some text that is not only
# whitespace (as str.strip() sees it), without null characters.
MESSAGE_PATTERN = r"^[^\u0000]*[^\s\u0000\u001c-\u001f][^\u0000]*$"

# Request bodies whose message the services check, and whether the field is
# required even in a PATCH (the edit replaces the body, it is all there is).
MESSAGE_REQUESTS = {
    "ReplyCreateRequest": False,
    "ReplyEditRequest": True,
    "PatchedReplyEditRequest": True,
}


def describe_enforced_rules(result, generator, request, public):
    """Postprocessing hook: state in the schema the rules the services apply.

    Also drops the titles django-filter gives query parameters (a model
    field's verbose name, translated): the parameter's name says it, and
    client generators would name classes after the translation.
    """
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                parameter.get("schema", {}).pop("title", None)
    components = result.get("components", {}).get("schemas", {})
    _require_message_bodies(result)
    for name, required in MESSAGE_REQUESTS.items():
        component = components.get(name)
        if not component or "body" not in component.get("properties", {}):
            continue
        component["properties"]["body"].update(
            minLength=1,
            maxLength=settings.FORUM_REPLY_MAX_LENGTH,
            pattern=MESSAGE_PATTERN,
        )
        if required and "body" not in component.get("required", []):
            component["required"] = [*component.get("required", []), "body"]
    return result


def _require_message_bodies(result) -> None:
    """A request whose message is required needs a body, even a PATCH."""
    references = {
        f"#/components/schemas/{name}"
        for name, required in MESSAGE_REQUESTS.items()
        if required
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            body = operation.get("requestBody")
            if body and any(
                media.get("schema", {}).get("$ref") in references
                for media in body.get("content", {}).values()
            ):
                body["required"] = True


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
