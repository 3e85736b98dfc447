using System.Buffers.Binary;
using System.Text;

namespace Moat.Admin.Provenance;

/// <summary>
/// An uploaded dataset's passages, parsed once and written to a temporary file (length-prefixed UTF-8) so a scan of a
/// million passages holds none of them in memory; read back in order by <see cref="Read"/>. Disposing deletes the file.
/// </summary>
public sealed class PassageSpool : IDisposable
{
    private readonly string _path;
    private FileStream? _writer;

    public PassageSpool(string directory)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, "scan-" + Guid.NewGuid().ToString("N") + ".spool");
        _writer = new FileStream(_path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose);
    }

    /// <summary>Passages written (blank ones included: they keep the dataset's numbering).</summary>
    public long Count { get; private set; }

    public void Add(string passage)
    {
        ObjectDisposedException.ThrowIf(_writer is null, this);
        var bytes = Encoding.UTF8.GetBytes(passage);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        _writer.Write(length);
        _writer.Write(bytes);
        Count++;
    }

    /// <summary>Makes everything written readable.</summary>
    public void Complete() => _writer?.Flush();

    /// <summary>The passages in the order they were added.</summary>
    public IEnumerable<string> Read()
    {
        Complete();
        using var reader = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        var header = new byte[4];
        for (var i = 0L; i < Count; i++)
        {
            reader.ReadExactly(header);
            var length = BinaryPrimitives.ReadInt32LittleEndian(header);
            var bytes = new byte[length];
            reader.ReadExactly(bytes);
            yield return Encoding.UTF8.GetString(bytes);
        }
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }
}
