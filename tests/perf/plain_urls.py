"""A URLconf where the thread pages are a plain view, not a cached one."""

from django.http import HttpResponse
from django.urls import re_path

urlpatterns = [re_path(r"^threads/", lambda request: HttpResponse("plain"))]
