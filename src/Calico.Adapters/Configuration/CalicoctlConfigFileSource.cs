using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Calico.Configuration;

/// <summary>calicoctl's config file (YAML or JSON, e.g. /etc/calico/calicoctl.cfg) as a configuration source.</summary>
public sealed class CalicoctlConfigFileSource(string path) : IConfigurationSource
{
    public string Path { get; } = path;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new CalicoctlConfigFileProvider(Path);
}

/// <summary>
/// Reads the config file into keys "apiVersion", "kind", "metadata:…" and "spec:&lt;field&gt;". Keys match without regard
/// to case, as Go's JSON decoding does. Only reads: whether the fields are known is the loader's business.
/// </summary>
public sealed class CalicoctlConfigFileProvider(string path) : ConfigurationProvider
{
    public string Path { get; } = path;

    public override void Load()
    {
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new Calico.Datastore.DatastoreConfigurationException($"cannot read the config file {Path}: {ex.Message}", Path, null, ex);
        }
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            var yaml = new YamlStream();
            yaml.Load(new StringReader(text));
            if (yaml.Documents.Count > 0)
            {
                if (yaml.Documents[0].RootNode is not YamlMappingNode root)
                    throw Syntax("the file is not a mapping of fields", null);
                Flatten(root, "", data);
            }
        }
        catch (YamlException ex)
        {
            throw Syntax(ex.Message, ex);
        }
        Data = data;
    }

    private void Flatten(YamlMappingNode mapping, string prefix, Dictionary<string, string?> data)
    {
        foreach (var (k, v) in mapping.Children)
        {
            var key = prefix + ((k as YamlScalarNode)?.Value ?? throw Syntax("a field name is not a plain string", null));
            switch (v)
            {
                case YamlScalarNode s:
                    data[key] = s.Style == ScalarStyle.Plain && s.Value is "null" or "~" or "" ? null : s.Value;
                    break;
                case YamlMappingNode m:
                    data[key] = null;
                    Flatten(m, key + ConfigurationPath.KeyDelimiter, data);
                    break;
                default:
                    throw Syntax($"field {key} must be a single value", null);
            }
        }
    }

    private Calico.Datastore.DatastoreConfigurationException Syntax(string reason, Exception? inner) =>
        new($"syntax error in the config file {Path}: {reason}", Path, null, inner);
}
