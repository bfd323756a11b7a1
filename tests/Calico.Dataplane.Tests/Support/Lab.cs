using Calico.Dataplane.Kernel;

namespace Calico.Dataplane.Tests.Support;

/// <summary>
/// A lab of network namespaces built with tests/Lab/netns-lab.sh under a prefix unique to this lab, deleted
/// on Dispose whatever happened in between (also when building the lab itself failed half-way).
/// </summary>
internal sealed class Lab : IDisposable
{
    public static readonly string Script = Path.Combine(AppContext.BaseDirectory, "Lab", "netns-lab.sh");

    private Lab(string prefix) => Prefix = prefix;

    public string Prefix { get; }

    /// <summary>Creates a lab with the named namespaces, loopback up in each.</summary>
    public static Lab Create(params string[] namespaces)
    {
        var lab = new Lab(Run("prefix", Environment.ProcessId.ToString()).Trim());
        try
        {
            if (namespaces.Length > 0) Run(["ns", lab.Prefix, .. namespaces]);
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    public NetworkNamespace this[string name] => NetworkNamespace.Named(Prefix + name);

    public IpRoute2Kernel Kernel(string name) => new(this[name]);

    public void Veth(string ns1, string if1, string ns2, string if2) => Run("veth", Prefix, ns1, if1, ns2, if2);

    public void Address(string ns, string device, params string[] cidrs) => Run(["addr", Prefix, ns, device, .. cidrs]);

    /// <summary>Runs a command inside one of the lab's namespaces and returns its stdout.</summary>
    public string Exec(string ns, params string[] command) => Run(["exec", Prefix, ns, .. command]);

    /// <summary>Runs `ip -n NS ARGS...` and returns its stdout.</summary>
    public string Ip(string ns, params string[] arguments) => Check("ip", ["-n", Prefix + ns, .. arguments]);

    public IReadOnlyList<string> Namespaces() =>
        Run("list", Prefix).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public void Dispose() => Run("down", Prefix);

    public static string Run(params string[] arguments) => Check("bash", [Script, .. arguments]);

    private static string Check(string file, string[] arguments)
    {
        var result = ProcessCommandRunner.Instance.Run(file, arguments);
        if (result.ExitCode != 0) throw new KernelCommandException(string.Join(' ', [file, .. arguments]), result.ExitCode, result.StandardError);
        return result.StandardOutput;
    }
}
