"""GET /api/v1/search/?q=: the search page's results, as JSON."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from forum.api.schema import READ_ERRORS, errors
from forum.search.engine import MAX_LIMIT, MAX_QUERY_LENGTH, search

WORD_PATTERN = r"[^\W_]"


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.RegexField(
        # A letter or a digit somewhere: the words validate_q looks for.
        regex=WORD_PATTERN,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"invalid": _("Give at least one word to look for.")},
        help_text=(
            "Words to look for. On PostgreSQL, French full-text search: "
            'stemmed, accents ignored, "quoted phrases", -excluded words.'
        ),
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=MAX_LIMIT,
        default=20,
        help_text="Results of each kind, at most 50.",
    )

    def to_internal_value(self, data):
        # An empty limit is a client's mistake, not "the default".
        if data.get("limit") == "":
            raise serializers.ValidationError(
                {"limit": [_("Give a value, or leave this parameter out.")]}
            )
        return super().to_internal_value(data)


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["article", "thread", "reply"])
    id = serializers.IntegerField()
    title = serializers.CharField(
        help_text="Article title, question, or the question a reply answers."
    )
    title_html = serializers.CharField(
        help_text="The title escaped, matches wrapped in <mark>."
    )
    snippet_html = serializers.CharField(
        help_text="An excerpt escaped, matches wrapped in <mark>."
    )
    url = serializers.SerializerMethodField(help_text="Absolute URL of the page.")
    rank = serializers.FloatField(help_text="Relevance: higher is better.")
    date = serializers.SerializerMethodField(
        help_text="Publication date of an article, creation time otherwise."
    )
    context = serializers.CharField(
        help_text="The article of a question, the question of a reply."
    )
    author = serializers.CharField(help_text="Public name of a reply's author.")

    def get_url(self, hit) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(hit.url) if request else hit.url

    def get_date(self, hit) -> str | None:
        return hit.date.isoformat() if hit.date else None


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="The query as searched.")
    total = serializers.IntegerField()
    articles = SearchHitSerializer(many=True)
    threads = SearchHitSerializer(many=True)
    replies = SearchHitSerializer(many=True)


class SearchView(APIView):
    """Articles, questions and visible replies matching a query."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="search",
        summary="Search articles, questions and replies",
        parameters=[SearchQuerySerializer],
        responses={200: SearchResultsSerializer, **errors(400, *READ_ERRORS)},
        examples=[
            OpenApiExample(
                "Salaries",
                value={
                    "query": "salaires",
                    "total": 1,
                    "articles": [],
                    "threads": [
                        {
                            "kind": "thread",
                            "id": 12,
                            "title": "Ces salaires sont-ils justifiés ?",
                            "title_html": "Ces <mark>salaires</mark> sont-ils "
                            "justifiés ?",
                            "snippet_html": "Ces <mark>salaires</mark> sont-ils "
                            "justifiés ?",
                            "url": "https://forum.example.org/threads/12/"
                            "ces-salaires-sont-ils-justifies/",
                            "rank": 0.0608,
                            "date": "2025-03-02T09:30:00+01:00",
                            "context": "Les salaires de l'IA",
                            "author": "",
                        }
                    ],
                    "replies": [],
                },
                response_only=True,
            )
        ],
        tags=["search"],
    )
    def get(self, request):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        results = search(
            query=params.validated_data["q"],
            viewer=request.user,
            limit=params.validated_data["limit"],
        )
        data = {
            "query": results.query,
            "total": results.total,
            "articles": results.articles,
            "threads": results.threads,
            "replies": results.replies,
        }
        serializer = SearchResultsSerializer(data, context={"request": request})
        return Response(serializer.data)
