using Moat.Detection.Enforcement;
using Moat.Detection.Linkage;
using Moat.Detection.Signals;

namespace Moat.Detection.Scoring;

/// <summary>Scores organisations and clusters from the detection state and explains each score with evidence.</summary>
public sealed class RiskScorer(DetectionState state, IOrgContextProvider orgs, EnforcementOptions enforcement, TimeProvider time)
{
    public EnforcementOptions Enforcement => enforcement;

    public RiskLevel LevelOf(double score) => score switch
    {
        _ when score >= enforcement.SuspendAt => RiskLevel.Critical,
        _ when score >= enforcement.CaseAt => RiskLevel.High,
        _ when score >= enforcement.WarnAt => RiskLevel.Elevated,
        _ => RiskLevel.Low,
    };

    /// <summary>Benchmark prompts do not count for approved evaluation orgs (and orgs allowed by override).</summary>
    public bool BenchmarksAllowed(string orgId)
    {
        if (enforcement.OverrideFor(orgId)?.AllowBenchmarks is { } explicitly)
        {
            return explicitly;
        }
        var context = orgs.Get(orgId);
        return enforcement.AllowBenchmarksForEvaluation && context is { IsEvaluation: true, AllowBenchmarks: true };
    }

    /// <summary>The current score (0–100) of an organisation, or null if it has sent nothing.</summary>
    public double? GetScore(string orgId)
    {
        lock (state.Gate)
        {
            return state.Orgs.TryGetValue(orgId, out var s) ? s.Score : null;
        }
    }

    /// <summary>The highest score an organisation has reached.</summary>
    public double? GetPeakScore(string orgId)
    {
        lock (state.Gate)
        {
            return state.Orgs.TryGetValue(orgId, out var s) ? s.PeakScore : null;
        }
    }

    public RiskAssessment? Get(string orgId)
    {
        lock (state.Gate)
        {
            return state.Orgs.TryGetValue(orgId, out var s) ? AssessOrg(s) : null;
        }
    }

    /// <summary>A cluster scored as one tenant (id "cluster-&lt;smallest member&gt;").</summary>
    public RiskAssessment? GetCluster(string clusterId)
    {
        lock (state.Gate)
        {
            foreach (var members in state.Linkage.Clusters)
            {
                if ("cluster-" + members[0] == clusterId)
                {
                    return AssessCluster(clusterId, members.Select(m => state.Orgs[m]).ToList());
                }
            }
            return null;
        }
    }

    /// <summary>Organisations by current score, highest first.</summary>
    public IReadOnlyList<RiskAssessment> GetLeaderboard(int limit = 50)
    {
        lock (state.Gate)
        {
            return state.Orgs.Values.OrderByDescending(s => s.Score).ThenBy(s => s.OrgId, StringComparer.Ordinal)
                .Take(limit).Select(AssessOrg).ToList();
        }
    }

    /// <summary>The organisation's recent snapshots, oldest first.</summary>
    public IReadOnlyList<RiskSnapshot> GetHistory(string orgId)
    {
        lock (state.Gate)
        {
            return state.Orgs.TryGetValue(orgId, out var s) ? s.History.ToList() : [];
        }
    }

    internal double ScoreOwn(TenantState s)
    {
        Span<double> values = stackalloc double[RiskModel.SignalCount];
        RiskModel.Fill(s, BenchmarksAllowed(s.OrgId), values);
        return RiskModel.Score(values);
    }

    internal double ScoreCluster(IReadOnlyList<TenantState> members)
    {
        Span<double> values = stackalloc double[RiskModel.SignalCount];
        RiskModel.FillCluster(members, m => BenchmarksAllowed(m.OrgId), values);
        return RiskModel.Score(values);
    }

    private RiskAssessment AssessOrg(TenantState s)
    {
        var clusterId = state.Linkage.ClusterIdOf(s.OrgId);
        var members = state.Linkage.ClusterOf(s.OrgId);
        var readings = ReadingsOf(s, BenchmarksAllowed(s.OrgId));
        Span<double> values = stackalloc double[RiskModel.SignalCount];
        var useCluster = clusterId is not null && s.Score > s.OwnScore;
        if (useCluster)
        {
            RiskModel.FillCluster(members.Select(m => state.Orgs[m]).ToList(), m => BenchmarksAllowed(m.OrgId), values);
        }
        else
        {
            RiskModel.Fill(s, BenchmarksAllowed(s.OrgId), values);
        }
        return new RiskAssessment(s.OrgId, Math.Round(s.Score, 1), Math.Round(s.OwnScore, 1), LevelOf(s.Score), clusterId,
            LinkedOrgsOf(s.OrgId, members), Explain(values, readings, s.OrgId, members.Count), s.Requests,
            s.KeyIds.Order(StringComparer.Ordinal).ToList(), time.GetUtcNow());
    }

    private RiskAssessment AssessCluster(string clusterId, List<TenantState> members)
    {
        Span<double> values = stackalloc double[RiskModel.SignalCount];
        RiskModel.FillCluster(members, m => BenchmarksAllowed(m.OrgId), values);
        var score = RiskModel.Score(values);
        var largest = members.OrderByDescending(m => m.Requests).First();
        var readings = ReadingsOf(largest, BenchmarksAllowed(largest.OrgId));
        return new RiskAssessment(clusterId, Math.Round(score, 1), Math.Round(score, 1), LevelOf(score), clusterId,
            members.Select(m => new LinkedOrg(m.OrgId, ["member"], m.Requests, m.KeyIds.Order(StringComparer.Ordinal).ToList())).ToList(),
            Explain(values, readings, null, members.Count), members.Sum(m => m.Requests),
            members.SelectMany(m => m.KeyIds).Order(StringComparer.Ordinal).ToList(), time.GetUtcNow());
    }

    private static SignalReading[] ReadingsOf(TenantState s, bool benchmarksAllowed) =>
    [
        s.InstructionGeneration.Read(), s.ReasoningElicitation.Read(), s.Benchmark.Read(), s.Templates.Read(),
        s.Parameters.Read(), s.Quota.Read(), s.Timing.Read(), s.Topics.Read(), s.Release.Read(),
        new SignalReading(RiskModel.Names[(int)SignalId.Coordination], SignalKind.Behaviour, 0, 0, 0, "", new Dictionary<string, object>()),
        ConversationShare.Read(s.Volume.MultiTurn, s.Volume.Requests), s.Volume.Read(benchmarksAllowed, s.Semantic), s.Benchmark.ReadCoverage(s.Volume.CuedGate),
    ];

    private List<RiskSignal> Explain(ReadOnlySpan<double> values, SignalReading[] readings, string? orgId, int clusterSize)
    {
        Span<double> logOdds = stackalloc double[RiskModel.SignalCount];
        RiskModel.Contributions(values, logOdds);
        var score = RiskModel.Score(values);
        double positive = 0;
        foreach (var c in logOdds)
        {
            positive += Math.Max(0, c);
        }
        // Score points above the baseline are shared out in proportion to each signal's log-odds.
        var points = Math.Max(0, score - RiskModel.BaselineScore);
        var signals = new List<RiskSignal>(RiskModel.SignalCount);
        for (var i = 0; i < RiskModel.SignalCount; i++)
        {
            var reading = readings[i];
            var evidence = reading.Evidence;
            var details = new Dictionary<string, object>(reading.Details) { ["log_odds"] = Math.Round(logOdds[i], 3) };
            if (i == (int)SignalId.Coordination)
            {
                evidence = clusterSize > 1
                    ? $"Scored together with {clusterSize - 1} linked organisation(s) sharing templates, IP prefixes, user agents or timing."
                    : "Not linked to other organisations.";
                details["cluster_size"] = clusterSize;
            }
            if (i == (int)SignalId.BenchmarkMatch && orgId is not null && BenchmarksAllowed(orgId))
            {
                evidence += " Not counted: the organisation is allow-listed for benchmark evaluation.";
                details["allow_listed"] = true;
            }
            var contribution = logOdds[i] > 0 && positive > 0 ? points * logOdds[i] / positive : 0;
            signals.Add(new RiskSignal(reading.Name, Math.Round(values[i], 3), Math.Round(contribution, 1), evidence, details));
        }
        return signals;
    }

    private List<LinkedOrg> LinkedOrgsOf(string orgId, IReadOnlyList<string> members)
    {
        var linked = new List<LinkedOrg>();
        foreach (var other in members)
        {
            if (other == orgId)
            {
                continue;
            }
            var kinds = state.Linkage.LinksBetween(orgId, other);
            var reasons = Enum.GetValues<LinkKinds>().Where(k => k != LinkKinds.None && kinds.HasFlag(k)).Select(k => k.ToString()).ToList();
            if (reasons.Count == 0)
            {
                reasons.Add("transitively linked");
            }
            var o = state.Orgs[other];
            linked.Add(new LinkedOrg(other, reasons, o.Requests, o.KeyIds.Order(StringComparer.Ordinal).ToList()));
        }
        return linked;
    }
}
