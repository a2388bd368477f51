"""Saved groups' pages under /groups/: yours, one group (anyone with its link), and the edits.

A group's page is readable by anyone holding its link. Every edit is the owner's alone: anyone
else gets 404 (as an unknown link would), so an edit address reveals nothing; creating a group
needs a login. Not page-cached: a group changes whenever its owner edits it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assurance.models import PCT
from leaguetable.ranked_table import names_datalist
from leaguetable.tables.cells import movement_cell, rank_cell
from watchlists import actions, queries
from watchlists.forms import AddPCTForm, GroupForm
from watchlists.models import Watchlist


@login_required
@require_http_methods(["GET", "POST"])
def group_list(request):
    form = GroupForm(request.POST or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        starting = PCT.objects.filter(code=request.POST.get("pct", "")).first()
        group = actions.create_group(
            by=request.user,
            name=form.cleaned_data["name"],
            email_on_publication=form.cleaned_data["email_on_publication"],
            pcts=[starting] if starting else [],
        )
        messages.success(request, f"Group “{group.name}” saved.")
        return redirect(group_url(group))
    return render(
        request,
        "watchlists/groups.html",
        {"groups": queries.groups_of(request.user), "form": form},
        status=400 if form.is_bound else 200,
    )


@require_GET
def group_detail(request, token):
    return _group_page(request, queries.group_by_token(token))


@login_required
@require_POST
def group_edit(request, token):
    group = queries.owned_group(request.user, token)
    form = GroupForm(request.POST, instance=group, owner=request.user)
    if not form.is_valid():
        return _group_page(request, group, group_form=form, status=400)
    actions.update_group(
        by=request.user,
        group=group,
        name=form.cleaned_data["name"],
        email_on_publication=form.cleaned_data["email_on_publication"],
    )
    messages.success(request, "Group saved.")
    return redirect(group_url(group))


@login_required
@require_POST
def group_add_pct(request, token):
    group = queries.owned_group(request.user, token)
    form = AddPCTForm(request.POST, candidates=queries.pct_choices())
    if not form.is_valid():
        return _group_page(request, group, add_form=form, status=400)
    pct = PCT.objects.get(code=form.cleaned_data["pct"])
    _say_added(request, group, pct, actions.add_pct(by=request.user, group=group, pct=pct))
    return redirect(group_url(group))


@login_required
@require_POST
def group_remove_pct(request, token, pct_code):
    group = queries.owned_group(request.user, token)
    pct = get_object_or_404(PCT, code=pct_code)
    actions.remove_pct(by=request.user, group=group, pct=pct)
    messages.success(request, f"{pct.name} removed from “{group.name}”.")
    return redirect(group_url(group))


@login_required
@require_POST
def group_delete(request, token):
    group = queries.owned_group(request.user, token)
    actions.delete_group(by=request.user, group=group)
    messages.success(request, f"Group “{group.name}” deleted; its link no longer works.")
    return redirect("watchlists:groups")


@login_required
@require_POST
def add_from_profile(request):
    """The profile's "Add to group": the PCT's code and one of the reader's groups."""
    group = queries.owned_group(request.user, request.POST.get("group", ""))
    pct = get_object_or_404(PCT, code=request.POST.get("pct", ""))
    _say_added(request, group, pct, actions.add_pct(by=request.user, group=group, pct=pct))
    return redirect("leaguetable:pct", pct.code)


def _say_added(request, group: Watchlist, pct, added: bool) -> None:
    if added:
        messages.success(request, f"{pct.name} added to “{group.name}”.")
    else:
        messages.info(request, f"{pct.name} is already in “{group.name}”: nothing changed.")


def group_url(group: Watchlist) -> str:
    return reverse("watchlists:group", args=[group.token])


def _group_page(request, group, *, group_form=None, add_form=None, status=200):
    is_owner = request.user.is_authenticated and group.owner_id == request.user.pk
    names = queries.members(group)
    standing = queries.latest_standing(names)
    context = {
        "group": group,
        "is_owner": is_owner,
        "standing": standing,
        # The league table's own cells: ranks, merged PCTs and moves read the same everywhere.
        "rows": [
            (row, mark_safe(rank_cell(row)), mark_safe(movement_cell(row)))  # escaped there
            for row in (standing.rows if standing else [])
        ],
        "member_count": len(names),
        "absent": [(code, names[code]) for code in standing.absent] if standing else [],
        "share_url": request.build_absolute_uri(group_url(group)),
        "league_url": reverse("leaguetable:latest") + f"?group={group.token}",
    }
    if is_owner:
        context |= {
            "group_form": group_form or GroupForm(instance=group, owner=request.user),
            "add_form": add_form or AddPCTForm(candidates=()),
            "pct_names_html": names_datalist(queries.pct_choices()),
        }
    return render(request, "watchlists/group.html", context, status=status)
