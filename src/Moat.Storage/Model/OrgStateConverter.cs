using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Moat.Core.Access;

namespace Moat.Storage.Model;

/// <summary>Stores <see cref="OrgState"/> by its wire name (see <see cref="OrgStateMachine.ToWire(OrgState)"/>).</summary>
internal sealed class OrgStateConverter() : ValueConverter<OrgState, string>(
    state => state.ToWire(),
    text => Parse(text))
{
    private static OrgState Parse(string text) =>
        OrgStateMachine.TryParseState(text, out var state)
            ? state
            : throw new InvalidOperationException($"Unknown organisation state '{text}' in the database.");
}
