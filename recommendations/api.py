from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Resume, User
from accounts.selectors import resume_active, resume_get
from jobs.serializers import JobListItemSerializer
from recommendations.services import MAX_LIMIT, recommendation_page


class ResumeNotReady(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "resume_not_ready"
    default_detail = "The resume has not been read yet."


class ExplanationSerializer(serializers.Serializer):
    engine = serializers.ChoiceField(choices=["semantic", "llm"])
    score = serializers.FloatField()
    parts = serializers.DictField(child=serializers.FloatField())
    weights = serializers.DictField(child=serializers.FloatField())
    matched_skills = serializers.ListField(child=serializers.CharField())
    missing_skills = serializers.ListField(child=serializers.CharField())
    seniority_fit = serializers.CharField()
    semantic_rank = serializers.IntegerField(required=False)
    llm = serializers.DictField(required=False)


@extend_schema_field(ExplanationSerializer)
class ExplanationField(serializers.JSONField):
    """An explanation as the engines wrote it: plain JSON already, of the shape
    ``ExplanationSerializer`` documents. Passed through rather than rebuilt field by field
    (twenty items a page, each with two dicts of nine numbers and two lists of skills)."""


class RecommendationItemSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    score = serializers.FloatField()
    is_new = serializers.BooleanField()
    job = JobListItemSerializer()
    explanation = ExplanationField()


class RecommendationListOutputSerializer(serializers.Serializer):
    resume = serializers.IntegerField()
    engine = serializers.CharField()
    engine_used = serializers.CharField()
    notice = serializers.CharField()
    computed_at = serializers.DateTimeField()
    results = RecommendationItemSerializer(many=True)


class RecommendationListApi(APIView):
    """Your ranked recommendations with their explanations.

    ``engine=semantic`` (default) ranks by vector similarity, skills, title, level,
    preferences and your feedback; ``engine=llm`` has the configured LLM score the best
    candidates. When the LLM cannot answer, ``engine_used`` is ``semantic`` and
    ``notice`` says why.
    """

    class RecommendationListInputSerializer(serializers.Serializer):
        engine = serializers.ChoiceField(choices=["semantic", "llm"], default="semantic")
        limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=20)
        resume = serializers.IntegerField(required=False, min_value=1)

    @extend_schema(
        parameters=[
            OpenApiParameter("engine", str, enum=["semantic", "llm"]),
            OpenApiParameter("limit", int),
            OpenApiParameter("resume", int, description="a resume id; default: the active one"),
        ],
        responses=RecommendationListOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        params = self.RecommendationListInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        resume_id = params.validated_data.get("resume")
        if resume_id is not None:
            try:
                resume = resume_get(user=user, resume_id=resume_id)
            except Resume.DoesNotExist:
                raise NotFound("No such resume.") from None
        else:
            found = resume_active(user=user)
            if found is None:
                raise NotFound("You have no resume yet: POST one to /api/resumes/.")
            resume = found
        if resume.status != Resume.Status.READY:
            raise ResumeNotReady(
                resume.error or f"The resume is still being read ({resume.get_status_display()})."
            )
        page = recommendation_page(
            user=user,
            resume=resume,
            engine=params.validated_data["engine"],
            limit=params.validated_data["limit"],
            # New: first recommended after the person last looked at their list.
            since=resume.last_visit_at,
        )
        used = (
            "llm"
            if page.items and all(i.explanation.get("engine") == "llm" for i in page.items)
            else "semantic"
        )
        data: dict[str, Any] = {
            "resume": resume.pk,
            "engine": page.engine,
            "engine_used": used,
            "notice": page.notice,
            "computed_at": page.computed_at,
            "results": [
                {
                    "rank": i.rank,
                    "score": i.score,
                    "is_new": i.is_new,
                    "job": i.job,
                    "explanation": i.explanation,
                }
                for i in page.items
            ],
        }
        return Response(RecommendationListOutputSerializer(data).data)
