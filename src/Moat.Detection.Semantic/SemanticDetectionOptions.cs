namespace Moat.Detection.Semantic;

/// <summary>Bound from <c>Moat:Detection:Semantic</c>.</summary>
public sealed class SemanticDetectionOptions
{
    public const string SectionName = "Moat:Detection:Semantic";

    /// <summary>
    /// Embed a sample of the openings of organisations whose conversation gate holds back extraction mass, to tell a
    /// harvest blended into a product from the product (docs/detection.md, "Semantic contrast"). Off: the gate alone.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Recent prompts whose embeddings are cached (each ~1.5 KB).</summary>
    [System.ComponentModel.DataAnnotations.Range(0, 1_000_000)]
    public int CacheCapacity { get; set; } = 4096;
}
