namespace Calico.Dataplane.Tests.Support;

/// <summary>Captured iproute2 output (Fixtures/capture.sh), copied beside the test assembly.</summary>
internal static class Fixture
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
