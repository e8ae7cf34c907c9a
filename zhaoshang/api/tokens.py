"""The user's page of personal API tokens: /accounts/tokens/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.api import actions
from zhaoshang.api.models import ApiToken


def _page(request, *, secret=None, new_token=None, error=None, name="", status=200):
    tokens = ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at")
    context = {"tokens": tokens, "secret": secret, "new_token": new_token, "error": error, "name": name}
    response = render(request, "api/tokens.html", context, status=status)
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def token_list(request):
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            token, secret = actions.create_token(user=request.user, name=name, actor=request.user)
        except ValidationError as error:
            return _page(request, error=error.message_dict.get("name", [""])[0], name=name, status=400)
        # The secret is shown in this response only; it is not stored anywhere.
        return _page(request, secret=secret, new_token=token)
    return _page(request)


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    actions.revoke_token(token, actor=request.user)
    messages.success(request, _("令牌“%(name)s”已撤销，使用它的程序将无法再访问") % {"name": token.name})
    return redirect("api_tokens:list")
