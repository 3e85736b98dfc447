using System.Xml.Linq;

namespace Moat.Architecture.Tests;

/// <summary>The src/ projects and their edges, read from the .csproj files (not from built assemblies).</summary>
internal sealed class ProjectGraph
{
    public const string AspNetCore = "Microsoft.AspNetCore.App";

    private ProjectGraph(string root, IReadOnlyDictionary<string, Project> projects)
    {
        Root = root;
        Projects = projects;
    }

    /// <summary>The repository root (the folder that holds Moat.slnx).</summary>
    public string Root { get; }

    public IReadOnlyDictionary<string, Project> Projects { get; }

    public static ProjectGraph Load()
    {
        var root = FindRoot();
        var projects = new SortedDictionary<string, Project>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var project = Project.Read(file);
            projects.Add(project.Name, project);
        }
        return new ProjectGraph(root, projects);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Moat.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Moat.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>One project: the Moat projects it references and the shared frameworks it uses.</summary>
    internal sealed record Project(string Name, IReadOnlySet<string> References, IReadOnlySet<string> Frameworks)
    {
        public static Project Read(string path)
        {
            var document = XDocument.Load(path);
            var references = document.Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(((string?)r.Attribute("Include") ?? "").Replace('\\', '/')))
                .ToHashSet(StringComparer.Ordinal);
            var frameworks = document.Descendants("FrameworkReference")
                .Select(r => (string?)r.Attribute("Include") ?? "")
                .ToHashSet(StringComparer.Ordinal);
            // The Web SDK brings the ASP.NET Core shared framework without saying so.
            if (((string?)document.Root?.Attribute("Sdk") ?? "").StartsWith("Microsoft.NET.Sdk.Web", StringComparison.Ordinal))
            {
                frameworks.Add(AspNetCore);
            }
            return new Project(Path.GetFileNameWithoutExtension(path), references, frameworks);
        }
    }
}
