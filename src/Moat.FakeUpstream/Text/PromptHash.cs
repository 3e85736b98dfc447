using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Moat.FakeUpstream.Text;

/// <summary>
/// Stable 64-bit hash of a prompt, built piece by piece without allocating. Each piece seeds the
/// next, so piece boundaries matter ("ab"+"c" differs from "a"+"bc"). string.GetHashCode is
/// randomised per process and would break determinism across restarts.
/// </summary>
internal struct PromptHash
{
    private ulong _value = 0x6D6F61742D66616BUL;

    public PromptHash()
    {
    }

    public readonly ulong Value => _value;

    public void Add(ReadOnlySpan<char> text) =>
        _value = XxHash64.HashToUInt64(MemoryMarshal.AsBytes(text), unchecked((long)(_value + (ulong)text.Length)));

    public void Add(int number)
    {
        Span<int> one = [number];
        _value = XxHash64.HashToUInt64(MemoryMarshal.AsBytes(one), unchecked((long)_value));
    }
}
