"""Directed development pages: suggestions, the flags list and export, a flag's page and steps.

They read through directed_development.queries (on the league table's ranked rows) and write
only through directed_development.actions, which checks permissions again. None of them is
cached: they are for logged-in users only.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import roles
from assurance.models import PCT
from directed_development import access, actions, concerns, queries
from directed_development.access import flags_required, suggestions_required
from directed_development.exports import flags_frame, suggestions_frame
from directed_development.filters import FlagFilter, SuggestionFilter
from directed_development.forms import FlagForm, LiftForm
from directed_development.models import DirectedDevelopmentFlag, SuggestionDismissal
from leaguetable import exports
from leaguetable import queries as league
from leaguetable.years import public_year


@require_GET
@suggestions_required
def suggestions(request):
    years = league.public_years()
    year = public_year(request.GET.get("year"), years)
    user = request.user
    sha_filter, sha = None, None
    if roles.is_assurance_admin(user):
        sha_filter = SuggestionFilter(request.GET or None)
        shown, sha_code = sha_filter.is_valid() or not sha_filter.is_bound, sha_filter.sha_code()
    else:
        # SHA staff see their own SHA's PCTs, whatever the query string says.
        sha = roles.sha_of(user)
        shown, sha_code = sha is not None, sha.code if sha else None
    found = queries.suggestions(year, years, access.flag_scope(user), sha_code) if shown else []
    if (export_format := request.GET.get("_export")) in exports.FORMATS:
        notice = exports.data_status([year])
        return exports.export_response(
            suggestions_frame(year, found, notice),
            export_format,
            f"wcc-suggestions-{year.slug}{'-illustrative' if year.is_illustrative else ''}",
            notice,
            sheet_name="Suggestions",
        )
    return render(
        request,
        "directed_development/suggestions.html",
        {
            "year": year,
            "years": years,
            "suggestions": [s for s in found if s.dismissal is None],
            "set_aside": [s for s in found if s.dismissal is not None],
            "sha_filter": sha_filter,
            "sha": sha,
            "rules": concerns.RULES,
            "export_formats": exports.FORMATS,
        },
    )


@require_POST
@suggestions_required
def suggestion_dismiss(request, year_slug, pct_code):
    year = public_year(year_slug)
    pct = get_object_or_404(PCT.objects.select_related("sha"), code=pct_code)
    if not access.may_flag(request.user, pct):
        raise PermissionDenied("Only the PCT's own SHA staff and assurance admins may do this.")
    try:
        actions.dismiss_suggestion(
            pct=pct, year=year, by=request.user, reason=request.POST.get("reason", "")
        )
    except actions.FlagRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"{pct} is set aside for {year}: it is listed apart, greyed.")
    return redirect(reverse("directed_development:suggestions") + f"?year={year.slug}")


@require_POST
@suggestions_required
def suggestion_restore(request, dismissal_id):
    dismissal = get_object_or_404(
        SuggestionDismissal.objects.select_related("pct__sha", "year"), pk=dismissal_id
    )
    if not access.may_flag(request.user, dismissal.pct):
        # As for a missing one: a 403 would tell another SHA's staff which ids exist.
        raise Http404("No such set-aside suggestion.")
    actions.restore_suggestion(dismissal=dismissal, by=request.user)
    messages.success(request, f"{dismissal.pct} is back among the suggestions.")
    return redirect(reverse("directed_development:suggestions") + f"?year={dismissal.year.slug}")


@require_GET
@flags_required
def flag_list(request):
    scope = access.flag_scope(request.user)
    filterset = FlagFilter(
        request.GET or None, queryset=queries.visible_flags(scope), every_sha=scope.every_sha
    )
    # An invalid filter shows its error and no flags, rather than quietly every flag.
    valid = not filterset.is_bound or filterset.is_valid()
    flags = queries.listed_flags(filterset.qs) if valid else []
    export_format = request.GET.get("_export")
    if export_format in exports.FORMATS:
        notice = "Directed development flags recorded in the WCC assurance dashboard"
        return exports.export_response(
            flags_frame(flags),
            export_format,
            "wcc-directed-development-flags",
            notice,
            sheet_name="Flags",
        )
    query = request.GET.copy()
    query.pop("_export", None)
    return render(
        request,
        "directed_development/flags.html",
        {
            "flags": flags,
            "filter": filterset,
            "scope": scope,
            "may_suggest": access.may_see_suggestions(request.user),
            "query": query.urlencode(),
            "export_formats": exports.FORMATS,
        },
    )


@require_http_methods(["GET", "POST"])
@suggestions_required
def flag_new(request, year_slug, pct_code):
    years = league.public_years()
    year = public_year(year_slug, years)
    pct = get_object_or_404(PCT.objects.select_related("sha"), code=pct_code)
    if not access.may_flag(request.user, pct):
        raise PermissionDenied("Only the PCT's own SHA staff and assurance admins may flag it.")
    rules = queries.rules_met(year, years, pct)
    form = FlagForm(
        request.POST or None,
        rule_choices=[(rule.slug, rule.name) for rule in rules],
        owners=queries.possible_owners(pct),
        initial={"rules": [rule.slug for rule in rules]},
    )
    if form.is_valid():
        try:
            flag = actions.flag_pct(
                pct=pct,
                year=year,
                by=request.user,
                reason=form.cleaned_data["reason"],
                rules=form.chosen_rules(),
                owner=form.cleaned_data["owner"],
                review_on=form.cleaned_data["review_on"],
                evidence=form.cleaned_data["evidence"],
            )
        except actions.FlagAlreadyOpen as already:
            messages.error(request, str(already))
            return redirect("directed_development:flag", already.flag.pk)
        except actions.FlagRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"{pct} is proposed for directed development in {year}.")
            return redirect("directed_development:flag", flag.pk)
    return render(
        request, "directed_development/flag_new.html", {"year": year, "pct": pct, "form": form}
    )


def _visible_flag(request, flag_id) -> DirectedDevelopmentFlag:
    flag = get_object_or_404(
        DirectedDevelopmentFlag.objects.select_related(
            "pct__sha", "year", "proposed_by", "confirmed_by", "lifted_by", "lift_requested_by"
        ),
        pk=flag_id,
    )
    if not access.flag_scope(request.user).allows(flag.pct.sha_id):
        # Not 403: that would tell another SHA's staff which flag numbers exist.
        raise Http404("No such flag.")
    return flag


def _flag_page(request, flag, lift_form=None, status=200):
    confirmations = list(flag.confirmations.select_related("by"))
    lift_approvals = list(flag.lift_approvals.select_related("by"))
    return render(
        request,
        "directed_development/flag.html",
        {
            "flag": flag,
            "history": queries.flag_history(flag),
            "may_act": access.may_flag(request.user, flag.pct),
            "confirmations": confirmations,
            "confirmations_needed": actions.confirmations_needed(),
            "may_confirm": request.user.pk != flag.proposed_by_id
            and all(c.by_id != request.user.pk for c in confirmations),
            "lift_form": lift_form or LiftForm(),
            "lift_approvals": lift_approvals,
            "lift_approvals_needed": 1 + actions.confirmations_needed(),
            "may_approve_lift": all(a.by_id != request.user.pk for a in lift_approvals),
        },
        status=status,
    )


@require_GET
@flags_required
def flag_detail(request, flag_id):
    return _flag_page(request, _visible_flag(request, flag_id))


def _acting_on(request, flag_id) -> DirectedDevelopmentFlag:
    flag = _visible_flag(request, flag_id)
    if not access.may_flag(request.user, flag.pct):
        raise PermissionDenied("Only the PCT's own SHA staff and assurance admins may do this.")
    return flag


@require_POST
@suggestions_required
def flag_confirm(request, flag_id):
    flag = _acting_on(request, flag_id)
    try:
        actions.confirm_flag(flag=flag, by=request.user)
    except actions.FlagRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Confirmed: {flag.pct} is in directed development.")
    return redirect("directed_development:flag", flag.pk)


@require_POST
@suggestions_required
def flag_lift(request, flag_id):
    flag = _acting_on(request, flag_id)
    form = LiftForm(request.POST)
    if not form.is_valid():
        return _flag_page(request, flag, lift_form=form, status=400)
    _step(request, actions.lift_flag, flag, reason=form.cleaned_data["reason"])
    return redirect("directed_development:flag", flag.pk)


@require_POST
@suggestions_required
def flag_lift_approve(request, flag_id):
    flag = _acting_on(request, flag_id)
    _step(request, actions.approve_lift, flag)
    return redirect("directed_development:flag", flag.pk)


@require_POST
@suggestions_required
def flag_lift_cancel(request, flag_id):
    flag = _acting_on(request, flag_id)
    if _step(request, actions.cancel_lift, flag):
        messages.success(request, f"The request to lift the flag on {flag.pct} is cancelled.")
    return redirect("directed_development:flag", flag.pk)


def _step(request, action, flag, **kwargs) -> bool:
    """Take a step on the flag; say what it did (lifted, or waiting for someone) or why not."""
    try:
        flag = action(flag=flag, by=request.user, **kwargs)
    except actions.FlagRefused as refused:
        messages.error(request, str(refused))
        return False
    if flag.status == DirectedDevelopmentFlag.Status.LIFTED:
        messages.success(request, f"The flag on {flag.pct} is lifted.")
    elif flag.lift_pending and action is not actions.cancel_lift:
        messages.success(
            request,
            f"Signed. Lifting the flag on {flag.pct} takes effect when another member of "
            f"{flag.pct.sha}'s staff or an assurance admin approves it.",
        )
    return True
