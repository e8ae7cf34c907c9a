"""Authentication backends. Lock-out after repeated failed logins is django-axes'; our
subclass lets a login that comes without a request (a test client's login(), a shell) go
on to the password check, since only web logins carry the address axes counts by."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
