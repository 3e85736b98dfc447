namespace Moat.Detection.Semantic;

/// <summary>
/// Maps a prompt to a sentence embedding (any fixed dimension; detection normalises it). Called off the request path, on
/// a sample of the openings of organisations whose conversation gate is holding back extraction mass
/// (<see cref="SemanticContrast"/>). Moat.Detection.Semantic implements it with all-MiniLM-L6-v2; without one
/// registered the contrast is off.
/// </summary>
public interface IPromptEmbedder
{
    float[] Embed(string text);
}
