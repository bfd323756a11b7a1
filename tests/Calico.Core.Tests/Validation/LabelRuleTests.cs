using Calico.Resources;
using Calico.Validation;
using static Calico.Tests.Validation.ValidationAssert;

namespace Calico.Tests.Validation;

/// <summary>
/// metadata.labels and metadata.annotations (validator.go:1633-1680), with Kubernetes' messages
/// (k8s.io/apimachinery v0.37.0-beta.0 pkg/api/validate/content). Key and value lists marked "kube_test"
/// are that package's own TestIsLabelKey / TestIsLabelValue cases.
/// </summary>
public class LabelRuleTests
{
    private const string KeyNamePattern =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
        + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private const string PrefixPattern =
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
        + @"with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string TooManySlashes =
        "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
        + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') "
        + "with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
    private const string ValuePattern =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
        + "alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    private static IPPool Labelled(string key, string value)
    {
        var pool = Pool("10.0.0.0/16");
        pool.Metadata.Labels = new() { [key] = value };
        return pool;
    }

    private static IPPool Annotated(Dictionary<string, string> annotations)
    {
        var pool = Pool("10.0.0.0/16");
        pool.Metadata.Annotations = annotations;
        return pool;
    }

    private static string LabelPath(string key) => $"metadata.labels[\"{key}\"]";

    public static TheoryData<string> KubeTestGoodKeys() =>
    [
        "simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
        "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple", "1-num.2-num/3-num",
        "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "requests.storage-foo",
        new string('a', 63), new string('a', 253) + "/" + new string('b', 63),
    ];

    [Theory]
    [MemberData(nameof(KubeTestGoodKeys))]
    public void Label_keys_Kubernetes_accepts_are_accepted(string key) => Valid(Labelled(key, "v"));

    public static TheoryData<string> KubeTestBadKeys() =>
    [
        "nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash", "Example.com/abc", "example_com/abc",
        "example.com/", "/simple", new string('a', 64), new string('a', 254) + "/abc",
    ];

    [Theory]
    [MemberData(nameof(KubeTestBadKeys))]
    public void Label_keys_Kubernetes_refuses_are_refused_at_their_entry(string key)
    {
        var errors = ResourceValidator.Validate(Labelled(key, "v"));
        Assert.NotEmpty(errors);
        Assert.All(errors, e => { Assert.StartsWith("metadata.labels[\"", e.Field); Assert.Equal(key, e.Value); });
    }

    [Theory]
    [InlineData("-cantstart", KeyNamePattern)]
    [InlineData("cantend_", KeyNamePattern)]
    [InlineData("has space", KeyNamePattern)]
    [InlineData("/simple", "prefix part must be non-empty")]
    [InlineData("Example.com/abc", PrefixPattern)]
    [InlineData("example_com/abc", PrefixPattern)]
    [InlineData("only/one/slash", TooManySlashes)]
    public void A_bad_label_key_gets_the_Kubernetes_message(string key, string message)
    {
        var error = Single(Labelled(key, "v"), LabelPath(key), message);
        Assert.Equal(key, error.Value);
    }

    [Fact]
    public void A_label_key_name_over_63_bytes_is_too_long() =>
        Single(Labelled(new string('a', 64), "v"), LabelPath(new string('a', 64)), "name part must be no more than 63 bytes");

    [Fact]
    public void A_label_key_prefix_over_253_bytes_is_too_long()
    {
        var key = new string('a', 254) + "/abc";
        Single(Labelled(key, "v"), $"metadata.labels[\"{new string('a', 80)}…\"]", "prefix part must be no more than 253 bytes");
    }

    [Fact]
    public void An_empty_key_name_gets_both_Kubernetes_messages()
    {
        var errors = ResourceValidator.Validate(Labelled("example.com/", "v"));
        Assert.Equal(["name part must be non-empty", KeyNamePattern], errors.Select(e => e.Message));
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("now-with-dashes")]
    [InlineData("1-starts-with-num")]
    [InlineData("end-with-num-1")]
    [InlineData("1234")]
    [InlineData("")]
    public void Label_values_Kubernetes_accepts_are_accepted(string value) => Valid(Labelled("k", value));

    [Theory]
    [InlineData("nospecialchars%^=@")]
    [InlineData("Tama-nui-te-rā.is.Māori.sun")]
    [InlineData("\\backslashes\\are\\bad")]
    [InlineData("-starts-with-dash")]
    [InlineData("ends-with-dash-")]
    [InlineData(".starts.with.dot")]
    [InlineData("ends.with.dot.")]
    public void A_bad_label_value_gets_the_Kubernetes_message(string value)
    {
        var error = Single(Labelled("k", value), LabelPath("k"), ValuePattern);
        Assert.Equal(value, error.Value);
    }

    [Fact]
    public void A_label_value_of_63_bytes_is_accepted() => Valid(Labelled("k", new string('a', 63)));

    [Fact]
    public void A_label_value_over_63_bytes_is_too_long() =>
        Single(Labelled("k", new string('a', 64)), LabelPath("k"), "must be no more than 63 bytes");

    [Fact]
    public void Label_length_counts_UTF8_bytes()
    {
        // 32 two-byte characters: 64 bytes, and not a label token either.
        var errors = ResourceValidator.Validate(Labelled("k", new string('é', 32)));
        Assert.Equal(["must be no more than 63 bytes", ValuePattern], errors.Select(e => e.Message));
    }

    [Fact]
    public void Node_labels_are_checked_too()
    {
        var node = Node();
        node.Metadata.Labels = new() { ["kubernetes.io/hostname"] = "node1", ["bad key"] = "x" };
        Single(node, LabelPath("bad key"), KeyNamePattern);
    }

    [Theory]
    [InlineData("ProjectCalico.org/Label")]
    [InlineData("Example.COM/Key")]
    [InlineData("kubectl.kubernetes.io/last-applied-configuration")]
    public void Annotation_keys_may_use_upper_case_anywhere(string key) =>
        Valid(Annotated(new() { [key] = "anything at all: {\"json\": true}" }));

    [Fact]
    public void A_bad_annotation_key_is_reported_as_written()
    {
        var error = Single(Annotated(new() { ["Bad Key/x"] = "v" }), "metadata.annotations[\"Bad Key/x\"]", PrefixPattern);
        Assert.Equal("Bad Key/x", error.Value);
    }

    [Fact]
    public void Annotation_values_are_free_text() => Valid(Annotated(new() { ["note"] = "-- any text, even / and \u00e9 --" }));

    [Fact]
    public void Annotations_may_total_256_kB()
    {
        Valid(Annotated(new() { ["a"] = new string('x', 100_000), ["b"] = new string('x', (int)LabelRules.TotalAnnotationSizeLimit - 100_002) }));
    }

    [Fact]
    public void Annotations_over_256_kB_are_too_large_by_their_excess()
    {
        var pool = Annotated(new() { ["a"] = new string('x', 100_000), ["b"] = new string('x', (int)LabelRules.TotalAnnotationSizeLimit - 100_000) });
        var error = Single(pool, "metadata.annotations", "total size of annotations is too large by 2 bytes");
        Assert.Null(error.Value);
    }
}
