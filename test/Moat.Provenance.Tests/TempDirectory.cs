namespace Moat.Provenance.Tests;

/// <summary>A scratch folder removed at the end of the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "moat-prov-" + Guid.NewGuid().ToString("N"));

    public TempDirectory() => Directory.CreateDirectory(Path);

    public string[] Segments() => [.. Directory.GetFiles(Path, "*.seg").Order(StringComparer.Ordinal)];

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
