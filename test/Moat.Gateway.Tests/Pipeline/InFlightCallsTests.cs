using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moat.Core.Access;
using Moat.Core.Changes;
using Moat.Gateway.Pipeline;
using Moat.Gateway.Pipeline.Enforcement;

namespace Moat.Gateway.Tests.Pipeline;

/// <summary>Enforcement reaching running calls through the change feed.</summary>
public sealed class InFlightCallsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = Stage.Clock();
    private readonly FakeChangeFeed _feed = new();
    private readonly FakeKeyDirectory _keys = new();
    private readonly InFlightCalls _inFlight;

    private readonly KeyEntry _a = Stage.Key(secret: "moat-sk-a", orgId: "org_a", keyId: "key_a");
    private readonly KeyEntry _b = Stage.Key(secret: "moat-sk-b", orgId: "org_b", keyId: "key_b");

    public InFlightCallsTests()
    {
        _keys.Put(_a);
        _keys.Put(_b);
        _inFlight = new InFlightCalls(_feed, _keys, _clock, NullLogger<InFlightCalls>.Instance);
    }

    public Task InitializeAsync() => _inFlight.StartAsync(CancellationToken.None);

    public Task DisposeAsync() => _inFlight.StopAsync(CancellationToken.None);

    /// <summary>A running call of <paramref name="key"/> and the token source the forwarder would hand in.</summary>
    private sealed record Running(GatewayCall Call, CancellationTokenSource Cancellation, InFlightCalls.Registration Registration);

    private Running Register(KeyEntry key)
    {
        var call = Stage.Call(key);
        var cancellation = new CancellationTokenSource();
        return new Running(call, cancellation, _inFlight.Register(call, cancellation));
    }

    private Task ChangedAsync(string orgId) => _feed.PublishAsync(new OrgChanged(orgId, "test"));

    [Theory]
    [InlineData(OrgState.Suspended, "account_suspended")]
    [InlineData(OrgState.Terminated, "account_terminated")]
    [InlineData(OrgState.Pending, "access_not_approved")]
    public async Task OrgChanged_OrgNoLongerServed_CancelsItsCallsOnly(OrgState state, string code)
    {
        var a1 = Register(_a);
        var a2 = Register(_a);
        var b = Register(_b);

        _keys.Put(_a with { State = state });
        await ChangedAsync("org_a");

        Assert.True(a1.Cancellation.IsCancellationRequested);
        Assert.True(a2.Cancellation.IsCancellationRequested);
        Assert.Equal(code, a1.Call.EnforcedBy!.Code);
        Assert.Equal(403, a1.Call.EnforcedBy.Status);
        Assert.False(b.Cancellation.IsCancellationRequested);
        Assert.Null(b.Call.EnforcedBy);
    }

    [Theory]
    [InlineData(OrgState.Warned)]
    [InlineData(OrgState.Throttled)]
    public async Task OrgChanged_OrgStillServed_NothingCancelled(OrgState state)
    {
        var a = Register(_a);

        _keys.Put(_a with { State = state });
        await ChangedAsync("org_a");

        Assert.False(a.Cancellation.IsCancellationRequested);
        Assert.Null(a.Call.EnforcedBy);
    }

    [Fact]
    public async Task OrgChanged_KeyRevoked_InvalidApiKey()
    {
        var a = Register(_a);

        _keys.Put(_a with { RevokedAt = _clock.GetUtcNow() });
        await ChangedAsync("org_a");

        Assert.True(a.Cancellation.IsCancellationRequested);
        Assert.Equal(401, a.Call.EnforcedBy!.Status);
        Assert.Equal("invalid_api_key", a.Call.EnforcedBy.Code);
    }

    [Fact]
    public async Task OrgChanged_KeyDeleted_InvalidApiKey()
    {
        var a = Register(_a);

        _keys.Remove(_a);
        await ChangedAsync("org_a");

        Assert.Equal("invalid_api_key", a.Call.EnforcedBy!.Code);
    }

    [Fact]
    public async Task OrgChanged_OnlyOneOfTheOrgsKeysRevoked_OtherKeysCallsKeepRunning()
    {
        var second = Stage.Key(secret: "moat-sk-a2", orgId: "org_a", keyId: "key_a2");
        _keys.Put(second);
        var revoked = Register(_a);
        var kept = Register(second);

        _keys.Put(_a with { RevokedAt = _clock.GetUtcNow().AddSeconds(-1) });
        await ChangedAsync("org_a");

        Assert.True(revoked.Cancellation.IsCancellationRequested);
        Assert.False(kept.Cancellation.IsCancellationRequested);
    }

    [Fact]
    public async Task OrgChanged_DirectoryNotYetReloaded_RefreshedBeforeTheLookup()
    {
        var a = Register(_a);

        _keys.PutPending(_a with { State = OrgState.Suspended }); // in the database, not yet in this replica's snapshot
        await ChangedAsync("org_a");

        Assert.Equal(["org_a"], _keys.Refreshed);
        Assert.Equal("account_suspended", a.Call.EnforcedBy!.Code);
    }

    [Fact]
    public async Task OrgChanged_DisposedRegistration_NotCancelled()
    {
        var a = Register(_a);
        var other = Register(_a);
        a.Registration.Dispose();

        _keys.Put(_a with { State = OrgState.Suspended });
        await ChangedAsync("org_a");

        Assert.False(a.Cancellation.IsCancellationRequested);
        Assert.Null(a.Call.EnforcedBy);
        Assert.True(other.Cancellation.IsCancellationRequested);
        Assert.Equal(1, _inFlight.Count);
    }

    [Fact]
    public async Task OrgChanged_CallFinishedBetweenLookupAndCancel_OthersStillCancelled()
    {
        var finished = Register(_a);
        var running = Register(_a);
        finished.Cancellation.Dispose(); // the forwarder disposed its token source, the registration not yet

        _keys.Put(_a with { State = OrgState.Suspended });
        await ChangedAsync("org_a");

        Assert.True(running.Cancellation.IsCancellationRequested);
    }

    [Fact]
    public async Task OrgChanged_OrgWithoutCalls_DirectoryNotReloaded()
    {
        Register(_b);

        await ChangedAsync("org_a");

        Assert.Empty(_keys.Refreshed);
    }

    [Fact]
    public async Task StopAsync_Unsubscribes_LaterChangesIgnored()
    {
        var a = Register(_a);
        await _inFlight.StopAsync(CancellationToken.None);

        _keys.Put(_a with { State = OrgState.Suspended });
        await ChangedAsync("org_a");

        Assert.False(a.Cancellation.IsCancellationRequested);
    }
}
