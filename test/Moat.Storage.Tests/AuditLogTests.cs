using Moat.Core.Access;
using Moat.Storage.Tests.Infrastructure;

namespace Moat.Storage.Tests;

public abstract class AuditLogTests(StorageProvider provider)
{
    [StorageFact]
    public async Task AppendAsync_ThreeEntries_FormAChainThatVerifies()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();

        var first = await harness.Audit.AppendAsync("admin", "org.suspend", "org_1", new { reason = "distillation", score = 91 });
        var second = await harness.Audit.AppendAsync("admin", "key.revoke", "key_1", null);
        var third = await harness.Audit.AppendAsync("policy", "org.warn", "org_2", new { reason = "benchmarks" });

        Assert.Equal([1L, 2L, 3L], [first.Seq, second.Seq, third.Seq]);
        Assert.Equal(new string('0', 64), first.PrevHash);
        Assert.Equal(first.Hash, second.PrevHash);
        Assert.Equal(second.Hash, third.PrevHash);
        Assert.Equal("{\"reason\":\"distillation\",\"score\":91}", first.PayloadJson);
        Assert.Equal(new AuditVerification(true, 3, null), await harness.Audit.VerifyAsync());
    }

    [StorageFact]
    public async Task WriteAsync_ChangeAndTwoEntries_CommitTogetherAndChainInOrder()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var org = await harness.AnOrg().CreateAsync();
        await harness.Audit.AppendAsync("admin", "note", "before", null);

        var transition = await harness.Audit.WriteAsync(async (write, ct) =>
        {
            write.Append("admin", "case.open", org.Id, null);
            var result = await harness.Organizations.TransitionAsync(write, org.Id, OrgAction.Suspend, ct);
            write.Append("admin", "org.suspend", org.Id, new { to = "suspended" });
            return result;
        });

        Assert.Equal(OrgTransitionOutcome.Applied, transition.Outcome);
        Assert.Equal(OrgState.Suspended, (await harness.Organizations.FindAsync(org.Id))!.State);
        var entries = (await harness.Audit.ListAsync()).Data;
        Assert.Equal(["org.suspend", "case.open", "note"], entries.Select(e => e.Action));
        Assert.Equal([3L, 2L, 1L], entries.Select(e => e.Seq));
        Assert.Equal(new AuditVerification(true, 3, null), await harness.Audit.VerifyAsync());
    }

    [StorageFact]
    public async Task WriteAsync_WorkFailsAfterChangingState_NeitherStateNorEntryIsStored()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var org = await harness.AnOrg().CreateAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Audit.WriteAsync<bool>(async (write, ct) =>
        {
            await harness.Organizations.TransitionAsync(write, org.Id, OrgAction.Warn, ct);
            write.Append("admin", "org.warn", org.Id, null);
            throw new InvalidOperationException("crash before commit");
        }));

        Assert.Equal(OrgState.Active, (await harness.Organizations.FindAsync(org.Id))!.State);
        Assert.Equal(new AuditVerification(true, 0, null), await harness.Audit.VerifyAsync());
        Assert.Equal(1L, (await harness.Audit.AppendAsync("admin", "note", "after", null)).Seq);
    }

    [StorageFact]
    public async Task ChangeAsync_TriesToChangeState_RefusedAndNothingStored()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        var org = await harness.AnOrg().CreateAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Audit.WriteAsync(async (write, ct) =>
        {
            write.Append("admin", "org.tier", org.Id, null);
            return await harness.Organizations.ChangeAsync(write, org.Id, o => o.State = OrgState.Terminated, ct);
        }));

        Assert.Equal(OrgState.Active, (await harness.Organizations.FindAsync(org.Id))!.State);
        Assert.Equal(0, (await harness.Audit.VerifyAsync()).Entries);
    }

    [StorageFact]
    public async Task VerifyAsync_RowEditedWithRawSql_ReportsThatSeqAsFirstBroken()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        await AppendManyAsync(harness, 5);

        await harness.ExecuteSqlAsync("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 3");

        Assert.Equal(new AuditVerification(false, 5, 3), await harness.Audit.VerifyAsync());
    }

    [StorageFact]
    public async Task VerifyAsync_PayloadEditedWithRawSql_ReportsThatSeqAsFirstBroken()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        await AppendManyAsync(harness, 4);

        await harness.ExecuteSqlAsync("UPDATE audit_entries SET payload_json = '{\"n\":99}' WHERE seq = 2");

        Assert.Equal(2, (await harness.Audit.VerifyAsync()).FirstBrokenSeq);
    }

    [StorageFact]
    public async Task VerifyAsync_RowDeleted_ReportsTheMissingSeq()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        await AppendManyAsync(harness, 5);

        await harness.ExecuteSqlAsync("DELETE FROM audit_entries WHERE seq = 4");

        Assert.Equal(new AuditVerification(false, 4, 4), await harness.Audit.VerifyAsync());
    }

    [StorageFact]
    public async Task AppendAsync_ManyConcurrentAppends_ChainStaysContiguousAndValid()
    {
        await using var harness = await StorageHarness.For(provider).WithSystemClock().StartAsync();

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            Task.Run(() => harness.Audit.AppendAsync("admin", "note", $"org_{i}", new { i }))));

        Assert.Equal(new AuditVerification(true, 60, null), await harness.Audit.VerifyAsync());
        Assert.Equal(60, await harness.ScalarAsync("SELECT MAX(seq) FROM audit_entries"));
    }

    [StorageFact]
    public async Task AppendAsync_TwoReplicasAppendingAtOnce_ChainDoesNotFork()
    {
        await using var first = await StorageHarness.For(provider).WithSystemClock().StartAsync();
        await using var second = await first.CreatePeerAsync();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).Audit.AppendAsync("admin", "note", $"org_{i}", null))));

        Assert.Equal(new AuditVerification(true, 40, null), await first.Audit.VerifyAsync());
    }

    [StorageFact]
    public async Task TransitionAsync_TwoReplicasRacingWarnAndReinstate_StateIsTheLastEntrysTarget()
    {
        await using var first = await StorageHarness.For(provider).WithSystemClock().StartAsync();
        await using var second = await first.CreatePeerAsync();
        var org = await first.AnOrg().CreateAsync();

        // Each transition is legal or not depending on who got there first; what commits must be recorded in commit order.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(() => (i % 2 == 0 ? first : second).TransitionAsync(org.Id, i % 4 < 2 ? OrgAction.Warn : OrgAction.Reinstate))));

        var applied = outcomes.Count(o => o.Outcome == OrgTransitionOutcome.Applied);
        var entries = (await first.Audit.ListAsync(null, AuditLog.MaxPageSize, new AuditQuery(Subject: org.Id))).Data;
        Assert.Equal(applied, entries.Count);
        Assert.True(applied >= 1);
        var last = System.Text.Json.JsonDocument.Parse(entries[0].PayloadJson).RootElement.GetProperty("to").GetString();
        Assert.Equal(last, (await second.Organizations.FindAsync(org.Id))!.State.ToWire());
        // Consecutive entries chain states: each one starts where the previous one ended.
        for (var i = entries.Count - 1; i > 0; i--)
        {
            var older = System.Text.Json.JsonDocument.Parse(entries[i].PayloadJson).RootElement;
            var newer = System.Text.Json.JsonDocument.Parse(entries[i - 1].PayloadJson).RootElement;
            Assert.Equal(older.GetProperty("to").GetString(), newer.GetProperty("from").GetString());
        }
        Assert.True((await first.Audit.VerifyAsync()).Valid);
    }

    [StorageFact]
    public async Task ListAsync_Paging_NewestFirstAcrossPagesWithFilter()
    {
        await using var harness = await StorageHarness.For(provider).StartAsync();
        await AppendManyAsync(harness, 7);
        await harness.Audit.AppendAsync("policy", "org.throttle", "org_9", null);

        var firstPage = await harness.Audit.ListAsync(limit: 3, filter: new AuditQuery(Actor: "admin"));
        var secondPage = await harness.Audit.ListAsync(firstPage.NextCursor, limit: 3, filter: new AuditQuery(Actor: "admin"));

        Assert.Equal([7L, 6L, 5L], firstPage.Data.Select(e => e.Seq));
        Assert.Equal([4L, 3L, 2L], secondPage.Data.Select(e => e.Seq));
    }

    private static async Task AppendManyAsync(StorageHarness harness, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            harness.Clock.Advance(TimeSpan.FromMilliseconds(1234.5678));
            await harness.Audit.AppendAsync("admin", "note", $"org_{i}", new { n = i, text = "é \"quoted\"" });
        }
    }
}

public sealed class AuditLogSqliteTests() : AuditLogTests(StorageProvider.Sqlite);

[RequiresPostgres]
public sealed class AuditLogPostgresTests() : AuditLogTests(StorageProvider.Postgres);

public sealed class AuditCanonicalJsonTests
{
    [Fact]
    public void Payload_NestedObject_SortsKeysWithoutWhitespace()
    {
        var json = AuditCanonicalJson.Payload(new { Zeta = 1, Alpha = new { Delta = "d", Charlie = new[] { 3, 1 } } });

        Assert.Equal("{\"alpha\":{\"charlie\":[3,1],\"delta\":\"d\"},\"zeta\":1}", json);
    }

    [Fact]
    public void Hash_SameEntry_IsStableHexSha256()
    {
        var at = new DateTimeOffset(2025, 6, 1, 12, 0, 0, 123, TimeSpan.Zero);

        var hash = AuditCanonicalJson.Hash(1, at, "admin", "org.suspend", "org_1", "null", AuditCanonicalJson.GenesisHash);

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, AuditCanonicalJson.Hash(1, at, "admin", "org.suspend", "org_1", "null", AuditCanonicalJson.GenesisHash));
        Assert.NotEqual(hash, AuditCanonicalJson.Hash(1, at, "admin", "org.suspend", "org_2", "null", AuditCanonicalJson.GenesisHash));
    }
}
