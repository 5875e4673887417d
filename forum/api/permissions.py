"""API permission classes; each asks the predicates in forum.permissions."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from forum.permissions import check_can_write


class ReadOrWrite(BasePermission):
    """Anyone reads; signed-in users who may write (not banned) write.

    Not signed in answers 401; signed in but refused answers 403 with the
    reason forum.permissions gives. The services check the finer rules
    (author, locked thread) again when they act.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        if not request.user.is_authenticated:
            return False
        check_can_write(request.user)
        return True


class SignedIn(BasePermission):
    """Only signed-in users, for reads about themselves."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)
