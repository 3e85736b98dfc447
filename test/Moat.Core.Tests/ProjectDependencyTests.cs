using System.Xml.Linq;

namespace Moat.Core.Tests;

/// <summary>The layering the architecture states, read from the project files.</summary>
public sealed class ProjectDependencyTests
{
    private static readonly string Root = FindRoot();

    [Theory]
    [InlineData("Moat.Core")]
    [InlineData("Moat.Provenance")]
    public void ProjectReferences_InnerProject_ReferencesNoMoatProject(string project)
    {
        Assert.Empty(References(project, "ProjectReference"));
    }

    [Theory]
    [InlineData("Moat.Core")]
    [InlineData("Moat.Provenance")]
    [InlineData("Moat.Provenance.Hosting")]
    public void FrameworkReferences_HostAgnosticProject_HasNoAspNetCore(string project)
    {
        Assert.DoesNotContain("Microsoft.AspNetCore.App", References(project, "FrameworkReference"));
    }

    [Fact]
    public void ProjectReferences_ProvenanceHosting_OnlyCoreAndProvenance()
    {
        Assert.Equal(["Moat.Core", "Moat.Provenance"], References("Moat.Provenance.Hosting", "ProjectReference").Order());
    }

    private static IEnumerable<string> References(string project, string kind) =>
        XDocument.Load(Path.Combine(Root, "src", project, project + ".csproj"))
            .Descendants(kind)
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Moat.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Moat.slnx not found above the test binaries.");
    }
}
