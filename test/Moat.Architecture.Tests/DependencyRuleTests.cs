namespace Moat.Architecture.Tests;

/// <summary>Dependencies point inward: the domain knows nothing, each surface knows the domain, only the host knows all.</summary>
public sealed class DependencyRuleTests
{
    private static readonly ProjectGraph Graph = ProjectGraph.Load();

    /// <summary>Projects that may reference only the listed Moat projects (an empty list: none at all).</summary>
    public static TheoryData<string, string[]> OnlyAllowed => new()
    {
        { "Moat.Core", [] },
        { "Moat.Provenance", [] },
        { "Moat.Gateway", ["Moat.Core"] },
        { "Moat.Redis", ["Moat.Core"] },
        { "Moat.Provenance.Hosting", ["Moat.Core", "Moat.Provenance"] },
    };

    /// <summary>Library projects that must build without ASP.NET Core (so a worker or a tool can host them).</summary>
    public static TheoryData<string> WithoutAspNetCore => new()
    {
        "Moat.Core", "Moat.Provenance", "Moat.Storage", "Moat.Detection", "Moat.Redis",
    };

    [Theory]
    [MemberData(nameof(OnlyAllowed))]
    public void ProjectReferences_RestrictedProject_OnlyAllowedEdges(string project, string[] allowed)
    {
        if (!Graph.Projects.TryGetValue(project, out var found))
        {
            return; // Moat.Provenance.Hosting may not exist yet on every branch; the rule holds once it does.
        }
        var forbidden = found.References.Except(allowed).Order(StringComparer.Ordinal).ToArray();
        Assert.True(forbidden.Length == 0, $"{project} may reference only [{string.Join(", ", allowed)}], but references [{string.Join(", ", forbidden)}].");
    }

    [Theory]
    [MemberData(nameof(WithoutAspNetCore))]
    public void FrameworkReferences_LibraryProject_NoAspNetCore(string project)
    {
        Assert.True(Graph.Projects.ContainsKey(project), $"{project} is missing from src/.");
        Assert.DoesNotContain(ProjectGraph.AspNetCore, Graph.Projects[project].Frameworks);
    }

    [Theory]
    [InlineData("Moat.Admin", "Moat.Gateway")]
    [InlineData("Moat.Admin", "Moat.Server")]
    [InlineData("Moat.Admin", "Moat.Console")]
    [InlineData("Moat.Console", "Moat.Gateway")]
    [InlineData("Moat.Console", "Moat.Server")]
    public void ProjectReferences_Admin_DoesNotReferenceOtherSurfaces(string project, string forbidden)
    {
        Assert.DoesNotContain(forbidden, Graph.Projects[project].References);
    }

    [Fact]
    public void ProjectReferences_Server_ReferencedOnlyByCli()
    {
        var referrers = Referrers("Moat.Server");
        Assert.True(referrers.IsSubsetOf(["Moat.Cli"]), $"Moat.Server is referenced by [{string.Join(", ", referrers)}]; only Moat.Cli may.");
    }

    /// <summary>ADR 0006: the console is mapped by the host and by nothing else.</summary>
    [Fact]
    public void ProjectReferences_Console_ReferencedOnlyByServer()
    {
        var referrers = Referrers("Moat.Console");
        Assert.True(referrers.IsSubsetOf(["Moat.Server"]), $"Moat.Console is referenced by [{string.Join(", ", referrers)}]; only Moat.Server may.");
    }

    [Fact]
    public void ProjectReferences_Cli_ReferencedByNothing()
    {
        Assert.Empty(Referrers("Moat.Cli"));
    }

    [Fact]
    public void ProjectReferences_AnyProject_PointsAtAnExistingProject()
    {
        var dangling = Graph.Projects.Values
            .SelectMany(p => p.References.Where(r => !Graph.Projects.ContainsKey(r)).Select(r => $"{p.Name} → {r}"))
            .ToArray();
        Assert.Empty(dangling);
    }

    private static HashSet<string> Referrers(string project) =>
        Graph.Projects.Values.Where(p => p.References.Contains(project)).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
}
