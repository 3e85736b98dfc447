using Moat.Core.Access;
using Moat.Core.Errors;
using Moat.Core.Models;
using Moat.Gateway.Errors;
using Moat.Gateway.Parsing;

namespace Moat.Gateway.Pipeline.Admit;

/// <summary>A request that passed admission: what was asked, for which model, and what it may cost at most.</summary>
internal sealed record AdmittedRequest(ModelRequest Request, ModelOptions Model, RequestCost Cost);

/// <summary>
/// Admit: a well-formed body with only allowed parameters, for a model this tier may use, fetching no remote media
/// unless the model allows it. Pure: no I/O.
/// </summary>
internal sealed class Admission(ModelCatalogOptions catalog, GatewayOptions options)
{
    public (AdmittedRequest? Admitted, ModelRequest? Parsed, OpenAiError? Refusal) Admit(ReadOnlySpan<byte> body, ModelEndpoint endpoint, KeyEntry key)
    {
        if (!ModelRequestParser.TryParse(body, endpoint, out var request, out var parseError))
        {
            return (null, null, parseError);
        }
        var model = catalog.Find(request.Model);
        if (model is null)
        {
            return (null, request, ModelApiErrors.ModelNotFound(request.Model));
        }
        if (!key.TierOptions.AllowsModel(model.Id))
        {
            return (null, request, ModelApiErrors.ModelNotAllowed(model.Id));
        }
        if (request.UnknownParameters is { } unknown)
        {
            foreach (var name in unknown)
            {
                if (!model.PassThroughParameters.Contains(name, StringComparer.Ordinal))
                {
                    return (null, request, ModelApiErrors.UnknownParameter(name));
                }
            }
        }
        if (request.HasRemoteMedia && !model.AllowRemoteMedia)
        {
            return (null, request, ModelApiErrors.RemoteMediaRefused(model.Id));
        }
        return (new AdmittedRequest(request, model, RequestCost.Of(request, key, options)), request, null);
    }
}
