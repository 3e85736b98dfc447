namespace Moat.FakeUpstream.Text;

/// <summary>One reply text with its token count, computed once and cached.</summary>
internal sealed record GeneratedReply(string Text, int Tokens);
