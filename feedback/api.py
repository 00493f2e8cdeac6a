from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from feedback.models import Engine
from feedback.selectors import saved_job_list
from feedback.services import (
    FeedbackInvalid,
    company_hide,
    company_unhide,
    job_hide,
    job_save,
    job_unhide,
    job_unsave,
    rating_submit,
)
from jobrec.api.pagination import PageNumberPagination
from jobs.models import Job
from jobs.serializers import JobListItemSerializer

ACTIONS = ("rate", "save", "unsave", "hide", "unhide", "hide_company", "unhide_company")


class FeedbackCreateApi(APIView):
    """Tell jobrec about a job: ``rate`` it 1-5 (with an optional ``comment`` and the
    ``engine`` whose list you rated it in), ``save``/``unsave`` it, ``hide``/``unhide`` it,
    or ``hide_company``/``unhide_company`` its company. Your next recommendations change."""

    class FeedbackInputSerializer(serializers.Serializer):
        job = serializers.IntegerField(min_value=1)
        action = serializers.ChoiceField(choices=ACTIONS)
        value = serializers.IntegerField(required=False, min_value=1, max_value=5)
        comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)
        engine = serializers.ChoiceField(choices=Engine.values, default=Engine.SEMANTIC)

        def validate(self, attrs: dict[str, object]) -> dict[str, object]:
            if attrs["action"] == "rate" and attrs.get("value") is None:
                raise serializers.ValidationError({"value": "A rating needs a value from 1 to 5."})
            return attrs

    class FeedbackOutputSerializer(serializers.Serializer):
        job = serializers.IntegerField()
        action = serializers.CharField()
        value = serializers.IntegerField(allow_null=True)
        engine = serializers.CharField(allow_null=True)
        rank = serializers.IntegerField(allow_null=True)
        score = serializers.FloatField(allow_null=True)

    @extend_schema(request=FeedbackInputSerializer, responses={201: FeedbackOutputSerializer})
    def post(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        serializer = self.FeedbackInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job_id, action = data["job"], data["action"]
        out: dict[str, object] = {
            "job": job_id,
            "action": action,
            "value": None,
            "engine": None,
            "rank": None,
            "score": None,
        }
        try:
            if action == "rate":
                rating = rating_submit(
                    user=user,
                    job_id=job_id,
                    value=data["value"],
                    engine=data["engine"],
                    comment=data.get("comment", ""),
                )
                out.update(
                    job=rating.job_id,
                    value=rating.value,
                    engine=rating.engine,
                    rank=rating.rank,
                    score=rating.score,
                )
            elif action == "save":
                job_save(user=user, job_id=job_id)
            elif action == "unsave":
                job_unsave(user=user, job_id=job_id)
            elif action == "hide":
                job_hide(user=user, job_id=job_id)
            elif action == "unhide":
                job_unhide(user=user, job_id=job_id)
            elif action == "hide_company":
                company_hide(user=user, job_id=job_id)
            else:
                company_unhide(user=user, company_id=_company_of(job_id))
        except Job.DoesNotExist:
            raise NotFound("No such job.") from None
        except FeedbackInvalid as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        return Response(self.FeedbackOutputSerializer(out).data, status=status.HTTP_201_CREATED)


def _company_of(job_id: int) -> int:
    # Unhiding works from any job of the company, even one no longer listed.
    company_id = Job.objects.filter(pk=job_id).values_list("company_id", flat=True).first()
    if company_id is None:
        raise Job.DoesNotExist
    return company_id


class SavedJobListApi(APIView):
    """The jobs you saved, newest first."""

    class SavedJobOutputSerializer(serializers.Serializer):
        saved_at = serializers.DateTimeField(source="created_at")
        job = JobListItemSerializer()

    @extend_schema(responses=SavedJobOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(saved_job_list(user=user), request, view=self)
        data = self.SavedJobOutputSerializer(page, many=True).data
        return paginator.get_paginated_response(data)
