"""API permission classes; each asks the predicates in forum.permissions."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from forum.permissions import check_can_write


def _handles(view, method: str) -> bool:
    """Whether the view answers `method` (else DRF answers 405)."""
    name = method.lower()
    return name in view.http_method_names and hasattr(view, name)


class ReadOrWrite(BasePermission):
    """Anyone reads; signed-in users who may write (not banned) write.

    Not signed in answers 401; signed in but refused answers 403 with the
    reason forum.permissions gives. The services check the finer rules
    (author, locked thread) again when they act.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or not _handles(view, request.method):
            # A method the view does not have answers 405, whoever asks.
            return True
        if not request.user.is_authenticated:
            return False
        check_can_write(request.user)
        return True


class SignedIn(BasePermission):
    """Only signed-in users, for reads about themselves."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)
