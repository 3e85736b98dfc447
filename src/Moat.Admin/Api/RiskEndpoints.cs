using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Moat.Admin.AllowList;
using Moat.Admin.Detection;
using Moat.Admin.Enforcement;
using Moat.Core.Access;
using Moat.Detection.Scoring;
using Moat.Storage;

namespace Moat.Admin.Api;

/// <summary>The risk leaderboard and one organisation's score with its evidence, on the (authenticated) admin group.</summary>
public static class RiskEndpoints
{
    public static RouteGroupBuilder MapMoatRiskApi(this RouteGroupBuilder admin)
    {
        admin.MapGet("/risk", ListAsync).WithName("ListRisk").WithSummary("Scored organisations, highest risk first.");
        admin.MapGet("/risk/{orgId}", GetAsync).WithName("GetRisk").WithSummary("An organisation's risk score, signals with evidence, history and linked accounts.");
        return admin;
    }

    private static async Task<Ok<ListResponse<RiskListItem>>> ListAsync(
        HttpContext http, RiskScorer scorer, IDbContextFactory<MoatDbContext> contexts, EnforcementService enforcement, AllowListService allowList,
        string? limit = null, [FromQuery(Name = "min_score")] string? minScore = null)
    {
        var take = Paging.Limit(limit);
        var floor = MinScore(minScore);
        var ranked = scorer.GetLeaderboard(take).Where(a => a.Score >= floor).ToList();
        var ids = ranked.Select(a => a.OrgId).ToList();
        Dictionary<string, (string Name, OrgState State)> orgs;
        await using (var db = await contexts.CreateDbContextAsync(http.RequestAborted).ConfigureAwait(false))
        {
            orgs = await db.Organizations.AsNoTracking()
                .Where(o => ids.Contains(o.Id))
                .ToDictionaryAsync(o => o.Id, o => (o.Name, o.State), StringComparer.Ordinal, http.RequestAborted)
                .ConfigureAwait(false);
        }
        var openCases = await enforcement.OpenCaseIdsAsync(ids, http.RequestAborted).ConfigureAwait(false);
        var allowListed = await allowList.ActiveUntilAsync(ids, http.RequestAborted).ConfigureAwait(false);
        var data = ranked.Select(a =>
        {
            var known = orgs.TryGetValue(a.OrgId, out var org);
            return new RiskListItem(
                a.OrgId, known ? org.Name : null, Math.Round(a.Score, 1), RiskWire.Level(a.Level), known ? org.State.ToWire() : null,
                openCases.GetValueOrDefault(a.OrgId), a.ClusterId,
                a.TopSignals(RiskEvidence.TopSignalCount).Select(RiskSignalSummary.From).ToList(),
                allowListed.TryGetValue(a.OrgId, out var until) ? until : null);
        }).ToList();
        return TypedResults.Ok(new ListResponse<RiskListItem>(data, null));
    }

    private static async Task<Ok<RiskDetailResponse>> GetAsync(
        string orgId, HttpContext http, RiskScorer scorer, OrganizationStore organizations, EnforcementService enforcement, AllowListService allowList)
    {
        var organization = await organizations.FindAsync(orgId, http.RequestAborted).ConfigureAwait(false)
            ?? throw AdminApiException.NotFound("organization", orgId);
        var openCase = await enforcement.OpenCaseIdAsync(orgId, http.RequestAborted).ConfigureAwait(false);
        var state = organization.State.ToWire();
        DateTimeOffset? allowListedUntil = (await allowList.ActiveUntilAsync([orgId], http.RequestAborted).ConfigureAwait(false))
            .TryGetValue(orgId, out var until) ? until : null;
        if (scorer.Get(orgId) is not { } assessment)
        {
            // No traffic yet: nothing to explain.
            return TypedResults.Ok(new RiskDetailResponse(orgId, 0, 0, 0, RiskWire.Level(RiskLevel.Low), state, openCase, null, 0, null, [], [], [], allowListedUntil));
        }
        return TypedResults.Ok(new RiskDetailResponse(
            orgId,
            Math.Round(assessment.Score, 1),
            Math.Round(assessment.OwnScore, 1),
            Math.Round(scorer.GetPeakScore(orgId) ?? assessment.Score, 1),
            RiskWire.Level(assessment.Level),
            state,
            openCase,
            assessment.ClusterId,
            assessment.Requests,
            assessment.At,
            assessment.Signals.OrderByDescending(s => s.Contribution).Select(RiskSignalDetail.From).ToList(),
            scorer.GetHistory(orgId).Select(RiskHistoryPoint.From).ToList(),
            assessment.LinkedOrgs.Select(LinkedAccount.From).ToList(),
            allowListedUntil));
    }

    private static double MinScore(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) && score is >= 0 and <= 100
            ? score
            : throw AdminApiException.Invalid("'min_score' must be a number from 0 to 100.", "min_score");
    }

    /// <summary><c>{score, level}</c> of an organisation for the organisation object; null before its first request (or without detection).</summary>
    internal static RiskSummary? SummaryOf(HttpContext http, string orgId)
    {
        var scorer = http.RequestServices.GetService<RiskScorer>();
        return scorer?.GetScore(orgId) is { } score ? new RiskSummary(Math.Round(score, 1), RiskWire.Level(scorer.LevelOf(score))) : null;
    }
}
