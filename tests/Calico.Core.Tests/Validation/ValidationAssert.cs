using Calico.Resources;
using Calico.Serialization;
using Calico.Validation;

namespace Calico.Tests.Validation;

/// <summary>Builders and assertions shared by the validation tests.</summary>
internal static class ValidationAssert
{
    public static IPPool Pool(string cidr, Action<IPPoolSpec>? configure = null, string name = "pool.name")
    {
        var pool = new IPPool { Metadata = { Name = name }, Spec = { Cidr = cidr } };
        configure?.Invoke(pool.Spec);
        return pool;
    }

    public static Node Node(Action<Node>? configure = null, string name = "node1")
    {
        var node = new Node { Metadata = { Name = name } };
        configure?.Invoke(node);
        return node;
    }

    public static Node NodeWithBgp(NodeBGPSpec bgp) => Node(n => n.Spec.BGP = bgp);

    /// <summary>A v3 IPPool document with the given spec object, for values the typed model cannot hold.</summary>
    public static string PoolJson(string specJson, string name = "test-pool") =>
        $$"""{"kind":"IPPool","apiVersion":"projectcalico.org/v3","metadata":{"name":"{{name}}"},"spec":{{specJson}}}""";

    /// <summary>Every problem found reading the document and then validating it.</summary>
    public static IReadOnlyList<FieldError> DecodeAndValidate(string json)
    {
        try
        {
            return ResourceValidator.Validate(ResourceJson.Deserialize(json));
        }
        catch (ManifestException e)
        {
            return e.Errors;
        }
    }

    /// <summary>Problems of a ported case, built in code or read from its document.</summary>
    public static IReadOnlyList<FieldError> Problems(Func<CalicoResource>? build, string? json) =>
        json is not null ? DecodeAndValidate(json) : ResourceValidator.Validate(build!());

    /// <summary>Theory rows (key, description) for a table of ported cases, so each case runs and reports alone.</summary>
    public static TheoryData<TKey, string> Rows<TCase, TKey>(IEnumerable<TCase> cases, Func<TCase, TKey> key, Func<TCase, string> description)
    {
        var data = new TheoryData<TKey, string>();
        foreach (var c in cases) data.Add(key(c), description(c));
        return data;
    }

    public static void Valid(CalicoResource resource)
    {
        var errors = ResourceValidator.Validate(resource);
        Assert.True(errors.Count == 0, "expected no problems, got:\n" + Describe(errors));
    }

    /// <summary>Asserts the resource has exactly one problem, at the field, with the message.</summary>
    public static FieldError Single(CalicoResource resource, string field, string message)
    {
        var errors = ResourceValidator.Validate(resource);
        Assert.True(errors.Count == 1, $"expected one problem ({field}: {message}), got:\n" + Describe(errors));
        Assert.Equal(field, errors[0].Field);
        Assert.Equal(message, errors[0].Message);
        return errors[0];
    }

    /// <summary>Asserts that one of the problems is at the field with the message; others may exist.</summary>
    public static FieldError Has(IReadOnlyList<FieldError> errors, string field, string message)
    {
        var match = errors.FirstOrDefault(e => e.Field == field && e.Message == message);
        Assert.True(match is not null, $"expected {field}: {message}, got:\n" + Describe(errors));
        return match!;
    }

    public static FieldError Has(CalicoResource resource, string field, string message) =>
        Has(ResourceValidator.Validate(resource), field, message);

    public static string Describe(IReadOnlyList<FieldError> errors) =>
        errors.Count == 0 ? "(none)" : string.Join("\n", errors.Select(e => e.ToString()));
}
