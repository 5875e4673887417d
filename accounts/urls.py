from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("u/<str:username>/", views.profile, name="profile"),
    path("account/profile/", views.profile_edit, name="profile-edit"),
    path("account/export/", views.account_export, name="export"),
    path("account/delete/", views.account_delete, name="delete"),
    path("account/verify-email/", views.verify_email, name="verify-email"),
    path("privacy/", views.legal, {"kind": "privacy"}, name="privacy"),
    path("terms/", views.legal, {"kind": "terms"}, name="terms"),
]
