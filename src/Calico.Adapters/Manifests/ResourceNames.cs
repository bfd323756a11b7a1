using System.Text;
using Calico.Net;

namespace Calico.Manifests;

/// <summary>The v3 names calicoctl convert gave v1 resources, which had none of their own (pools) or freer ones (nodes).</summary>
public static class ResourceNames
{
    /// <summary>
    /// A pool's name from its CIDR (libcalico-go lib/names/cidr.go CIDRToName): the first three '.', the first
    /// seven ':' and the '/' become '-'. 192.168.0.0/16 → 192-168-0-0-16, fd00::/48 → fd00---48.
    /// </summary>
    public static string FromCidr(IPPrefix cidr)
    {
        var text = cidr.ToString();
        var sb = new StringBuilder(text.Length);
        int dots = 0, colons = 0, slashes = 0;
        foreach (var c in text)
        {
            var replace = c switch
            {
                '.' => dots++ < 3,
                ':' => colons++ < 7,
                '/' => slashes++ < 1,
                _ => false,
            };
            sb.Append(replace ? '-' : c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// A v3 node name from a v1 one (lib/upgrade/converters/names.go normalizeName): lower case; '/' → '.';
    /// each run of characters outside [-.a-z0-9] → '-'; each run of '.' and '-' holding a '.' → '.';
    /// leading and trailing '.' and '-' dropped. "$ABC/DEF-123.-456!" → "abc.def-123.456".
    /// </summary>
    public static string FromNodeName(string v1Name)
    {
        var mapped = new StringBuilder(v1Name.Length);
        var inRun = false;
        foreach (var raw in v1Name)
        {
            // Go lowers rune by rune (simple case mapping); only results inside [-.a-z0-9] survive.
            var c = raw == '/' ? '.' : char.ToLowerInvariant(raw);
            if (c is '-' or '.' or (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                mapped.Append(c);
                inRun = false;
            }
            else if (!inRun)
            {
                mapped.Append('-');
                inRun = true;
            }
        }

        var collapsed = new StringBuilder(mapped.Length);
        for (var i = 0; i < mapped.Length;)
        {
            if (mapped[i] is not ('.' or '-'))
            {
                collapsed.Append(mapped[i++]);
                continue;
            }
            var start = i;
            var hasDot = false;
            for (; i < mapped.Length && mapped[i] is '.' or '-'; i++) hasDot |= mapped[i] == '.';
            if (hasDot) collapsed.Append('.');
            else collapsed.Append(mapped, start, i - start);
        }
        return collapsed.ToString().Trim('.', '-');
    }
}
