"""Accounts and settings pages: login/logout/profile, the zone switcher, user management,
zone settings and the audit trail."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhaoshang.core import access, actions, passwords, permissions
from zhaoshang.core.filters import ChangeRecordFilter
from zhaoshang.core.forms import UserCreateForm, UserEditForm, UserFilterForm, ZoneSettingsForm, user_label
from zhaoshang.core.history import describe, history_for
from zhaoshang.core.models import ChangeRecord, Membership, Zone

AUDIT_PAGE_SIZE = 50
USERS_PAGE_SIZE = 50


# --- login -------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = settings.LOGIN_URL

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("已退出登录"))
        return response


def _safe_next(request, fallback="/"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
def profile(request):
    """The user's own page: who they are, their roles, and the password change."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        passwords.set_must_change(user, False)
        update_session_auth_hash(request, user)
        messages.success(request, _("密码已修改"))
        return redirect("profile")
    roles = Membership.objects.filter(user=request.user).select_related("zone", "unit", "park").order_by("zone__code")
    return render(request, "core/profile.html", {"form": form, "roles": roles})


@login_required
def home(request):
    """`/` and where a login lands: the cockpit for leadership and observers, the
    workbench (served here too, so `/` keeps working as it always did) for the others."""
    from zhaoshang.projects.views import workbench

    target = permissions.landing_url(request.user, access.current_zone(request))
    if target != "/workbench/":
        return redirect(target)
    return workbench(request)


# --- zones -------------------------------------------------------------------------------


@require_POST
@login_required
def zone_switch(request):
    """Work in another zone: allowed for the zones the user belongs to."""
    try:
        zone = Zone.objects.visible_to(request.user).get(pk=int(request.POST.get("zone", "")))
    except (ValueError, Zone.DoesNotExist):
        raise PermissionDenied(_("您不属于该园区")) from None
    request.session["zone_id"] = zone.pk
    messages.info(request, _("已切换到%(zone)s") % {"zone": zone.name})
    return HttpResponseRedirect(_safe_next(request))


def _managed_zone(request) -> Zone:
    zone = access.current_zone(request)
    if not access.can_manage(request.user, zone):
        raise PermissionDenied(_("只有系统管理员和投资促进局可以进行此操作"))
    return zone


@login_required
def settings_index(request):
    zone = access.current_zone(request)
    return render(request, "core/settings_index.html", {"manages": access.can_manage(request.user, zone), "zone": zone})


@login_required
def zone_settings(request):
    zone = _managed_zone(request)
    form = ZoneSettingsForm(request.POST or None, instance=Zone.objects.get(pk=zone.pk))
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_zone(zone, actor=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields})
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("园区设置已保存"))
            return redirect("core:zone_settings")
    return render(request, "core/zone_settings.html", {"form": form, "zone": zone})


# --- users -------------------------------------------------------------------------------


def _add_errors(form, error: ValidationError, mapping=None):
    mapping = mapping or {}
    for field, problems in error.message_dict.items():
        field = mapping.get(field, field)
        form.add_error(field if field in form.fields else None, problems)


@login_required
def user_list(request):
    zone = _managed_zone(request)
    filters = UserFilterForm(request.GET or None)
    users = access.manageable_users(request.user, zone)
    if filters.is_valid():
        data = filters.cleaned_data
        if data["q"]:
            users = users.filter(Q(username__icontains=data["q"]) | Q(first_name__icontains=data["q"]))
        if data["role"]:
            users = users.filter(memberships__zone=zone, memberships__role=data["role"])
        if data["active"] in ("0", "1"):
            users = users.filter(is_active=data["active"] == "1")
    users = users.order_by("-is_active", "username").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.filter(zone=zone).select_related("unit", "park"), to_attr="zone_roles")
    )
    page = Paginator(users, USERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/users.html", {"zone": zone, "page": page, "filters": filters})


@login_required
def user_create(request):
    zone = _managed_zone(request)
    form = UserCreateForm(request.POST or None, zone=zone, roles=access.assignable_roles(request.user, zone))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.create_user(
                username=data["username"], password=data["password1"], zone=zone, role=data["role"],
                unit=data["unit"], park=data["park"], full_name=data["full_name"], email=data["email"], actor=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error, {"password": "password1"})
        else:
            messages.success(request, _("已新建用户 %(name)s") % {"name": user_label(user)})
            return redirect("core:user_list")
    return render(request, "core/user_form.html", {"form": form, "zone": zone, "creating": True})


def _managed_user(request, zone, pk):
    return get_object_or_404(access.manageable_users(request.user, zone), pk=pk)


@login_required
def user_edit(request, pk):
    zone = _managed_zone(request)
    target = _managed_user(request, zone, pk)
    membership = Membership.objects.filter(user=target, zone=zone).first()
    may_reset = access.can_manage_account(request.user, target)
    initial = {
        "full_name": target.first_name, "email": target.email,
        "role": membership.role if membership else "", "unit": membership.unit_id if membership else None,
        "park": membership.park_id if membership else None,
    }
    form = UserEditForm(
        request.POST or None, initial=initial, zone=zone, roles=access.assignable_roles(request.user, zone),
        may_reset_password=may_reset,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            from django.db import transaction

            with transaction.atomic():
                actions.update_user(target, full_name=data["full_name"], email=data["email"], actor=request.user)
                actions.grant_role(user=target, zone=zone, role=data["role"], unit=data["unit"], park=data["park"], actor=request.user)
                if may_reset and data.get("new_password"):
                    actions.set_password(target, data["new_password"], actor=request.user)
        except ValidationError as error:
            _add_errors(form, error, {"password": "new_password"})
        else:
            messages.success(request, _("已保存用户 %(name)s") % {"name": user_label(target)})
            return redirect("core:user_list")
    other_roles = Membership.objects.filter(user=target).exclude(zone=zone).select_related("zone", "unit", "park")
    return render(request, "core/user_form.html", {
        "form": form, "zone": zone, "target": target, "creating": False, "may_reset": may_reset,
        "other_roles": other_roles.filter(zone_id__in=access.manager_zone_ids(request.user)),
        "history": history_for(target, limit=30),
    })


@require_POST
@login_required
def user_set_active(request, pk, active):
    zone = _managed_zone(request)
    target = _managed_user(request, zone, pk)
    if not access.can_manage_account(request.user, target):
        raise PermissionDenied(_("该用户还属于您不管理的园区，不能停用或启用"))
    try:
        actions.set_active(target, active, actor=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        if active:
            messages.success(request, _("已启用用户 %(name)s") % {"name": user_label(target)})
        else:
            messages.success(request, _("已停用用户 %(name)s") % {"name": user_label(target)})
    return redirect(_safe_next(request, reverse("core:user_list")))


# --- audit -------------------------------------------------------------------------------


@login_required
def audit(request):
    """Every recorded change, export and import of the zone, for administrators and the
    bureau; filtered by user, kind of data, date, action and object name."""
    zone = _managed_zone(request)
    records = ChangeRecord.objects.visible_to(request.user)
    if access.is_superuser(request.user):
        records = records.filter(Q(zone=zone) | Q(zone__isnull=True))
    else:
        records = records.filter(zone=zone)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(memberships__zone=zone).distinct().order_by("username")
    filterset = ChangeRecordFilter(request.GET or None, queryset=records, users=users)
    rows = filterset.qs.select_related("content_type").order_by("-timestamp", "-id")
    page = Paginator(rows, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = describe(page.object_list, contacts_allowed=True)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit.html", {
        "zone": zone, "filter": filterset, "page": page, "entries": entries, "query": query.urlencode(),
    })



def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers once a user name is locked out from an address (429)."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
