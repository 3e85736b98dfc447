namespace Moat.Core.Changes;

/// <summary>Something about an organisation (state, limits, keys) changed and every replica must reload it.</summary>
public sealed record OrgChanged(string OrgId, string Reason);

/// <summary>
/// Broadcasts <see cref="OrgChanged"/> to every replica. In-process for the embedded default, Redis pub/sub in scale-out.
/// <see cref="PublishAsync"/> returns only after local subscribers have applied the change, so the next request
/// on this replica sees it.
/// </summary>
public interface IChangeFeed
{
    Task PublishAsync(OrgChanged change, CancellationToken cancellationToken = default);

    IDisposable Subscribe(Func<OrgChanged, CancellationToken, Task> handler);
}
