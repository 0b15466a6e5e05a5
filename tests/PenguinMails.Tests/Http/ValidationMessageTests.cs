using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace PenguinMails.Tests.Http;

/// <summary>
/// Every validation message of the server's request contracts goes through composite formatting
/// (<c>string.Format(ErrorMessage, field)</c>) when it fails: a message with a literal brace once answered 500.
/// This formats each one, the way the framework will, so the whole kind is caught before a request is.
/// </summary>
public sealed class ValidationMessageTests
{
    [Fact]
    public void EveryValidationMessage_FormatsWithoutError()
    {
        var all = All();
        Assert.True(all.Count > 20, $"only {all.Count} validation attributes found");
        foreach (var (owner, attribute) in all)
        {
            var message = Record.Exception(() => attribute.FormatErrorMessage("field"));
            Assert.True(message is null, $"{owner}: {attribute.GetType().Name} message '{attribute.ErrorMessage}' cannot be formatted: {message?.Message}");
        }
    }

    private static List<(string Owner, ValidationAttribute Attribute)> All()
    {
        var types = typeof(Program).Assembly.GetTypes();
        var members = types.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(p => ($"{t.Name}.{p.Name}", p.GetCustomAttributes<ValidationAttribute>(inherit: true))))
            .Concat(types.SelectMany(t => t.GetConstructors().SelectMany(c => c.GetParameters())
                .Select(p => ($"{p.Member.DeclaringType?.Name}({p.Name})", p.GetCustomAttributes<ValidationAttribute>(inherit: true)))));
        return members.SelectMany(m => m.Item2.Select(a => (m.Item1, a))).ToList();
    }
}
