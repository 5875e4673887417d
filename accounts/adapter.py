from allauth.account.adapter import DefaultAccountAdapter

from accounts.usernames import check_username, normalize_username


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter, with this site's rules for usernames."""

    def clean_username(self, username, shallow=False):
        username = normalize_username(username)
        username = super().clean_username(username, shallow=shallow)
        if not shallow:
            check_username(username)
        return username
