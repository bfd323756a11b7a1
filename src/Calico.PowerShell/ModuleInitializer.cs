using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace Calico.PowerShell;

/// <summary>
/// Loads the module's dependencies (YamlDotNet, Microsoft.Extensions.*, the etcd client, gRPC) from its
/// dependencies/ folder into a load context of its own, so another module's copy of the same assembly can
/// never break Calico, nor Calico break it. Calico's own assemblies stay in the default context, so the
/// objects it emits are ordinary types to every other module.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string DependencyDirectory =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies");

    private static readonly DependencyLoadContext LoadContext = new(DependencyDirectory);

    public void OnImport() => AssemblyLoadContext.Default.Resolving += ResolveDependency;

    public void OnRemove(PSModuleInfo psModuleInfo) => AssemblyLoadContext.Default.Resolving -= ResolveDependency;

    private static Assembly? ResolveDependency(AssemblyLoadContext defaultContext, AssemblyName name) =>
        LoadContext.Owns(name) ? LoadContext.LoadFromAssemblyName(name) : null;
}

/// <summary>The module's private load context: it resolves every assembly found in dependencies/ from there.</summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _directory;

    public DependencyLoadContext(string directory) : base("Calico.Dependencies")
    {
        _directory = directory;
    }

    public bool Owns(AssemblyName name) => name.Name is not null && File.Exists(PathOf(name));

    protected override Assembly? Load(AssemblyName name) => Owns(name) ? LoadFromAssemblyPath(PathOf(name)) : null;

    private string PathOf(AssemblyName name) => Path.Combine(_directory, name.Name + ".dll");
}
