namespace PenguinMails.Templates;

/// <summary>
/// A JSON object as a template sees it (<see cref="TemplateModel"/>): its members by name (<see cref="JsonValueDescriptors"/>),
/// <c>[object Object]</c> when written (<see cref="JsonValueFormatter"/>), and true in <c>{{#if}}</c> and <c>{{#with}}</c>
/// even when it has no members, as a JavaScript object is. Not a dictionary: Handlebars.Net counts an empty collection
/// as false, so <c>{}</c> once read as false.
/// </summary>
internal sealed class JsonObjectModel(Dictionary<string, object?> members)
{
    public Dictionary<string, object?> Members { get; } = members;
}
