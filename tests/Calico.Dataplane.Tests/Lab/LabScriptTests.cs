using System.Diagnostics;
using Calico.Dataplane.Kernel;
using Calico.Dataplane.Tests.Support;

namespace Calico.Dataplane.Tests.LabScript;

/// <summary>tests/Lab/netns-lab.sh: unique prefixes, and teardown that deletes a lab's own namespaces and nothing else.</summary>
public class LabScriptTests
{
    private static CommandResult Script(params string[] arguments) => ProcessCommandRunner.Instance.Run("bash", [Support.Lab.Script, .. arguments]);

    private static string[] AllNamespaces() =>
        ProcessCommandRunner.Instance.Run("ip", ["netns", "list"]).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0]).ToArray();

    [Fact]
    public void Prefixes_carry_the_owner_and_differ_every_time()
    {
        var prefixes = Enumerable.Range(0, 5).Select(_ => Script("prefix", "4242").StandardOutput.Trim()).ToArray();
        Assert.All(prefixes, p => Assert.Matches("^calab-4242-[0-9a-f]{8}-$", p));
        Assert.Equal(5, prefixes.Distinct().Count());
    }

    [Fact]
    public void A_prefix_needs_its_owners_pid_so_that_sweep_never_takes_a_live_lab()
    {
        var result = Script("prefix");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("prefix needs the owner's pid", result.StandardError);
    }

    [NamespaceFact]
    public void Down_deletes_its_own_lab_and_leaves_another_labs_namespaces()
    {
        using var mine = Support.Lab.Create("a", "b");
        using var other = Support.Lab.Create("a");
        mine.Veth("a", "eth0", "b", "eth0");
        Assert.Equal(2, mine.Namespaces().Count);

        mine.Dispose();

        Assert.Empty(mine.Namespaces());
        Assert.Equal([other.Prefix + "a"], other.Namespaces());
    }

    [Theory]
    [InlineData("")]
    [InlineData("calab-")]
    [InlineData("calab-1-")]
    [InlineData("calab-1-zzzzzzzz-")]
    public void Down_refuses_anything_but_a_lab_prefix(string prefix)
    {
        var result = Script("down", prefix);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not a lab prefix", result.StandardError);
    }

    [NamespaceFact]
    public void A_half_built_lab_is_still_torn_down()
    {
        var prefix = Script("prefix", Environment.ProcessId.ToString()).StandardOutput.Trim();
        var failed = Script("ns", prefix, "ok", "bad name");
        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains(prefix + "ok", AllNamespaces());
        Assert.Equal(0, Script("down", prefix).ExitCode);
        Assert.DoesNotContain(AllNamespaces(), ns => ns.StartsWith(prefix, StringComparison.Ordinal));
    }

    [NamespaceFact]
    public void Down_ends_processes_left_running_inside_the_lab()
    {
        using var lab = Support.Lab.Create("a");
        using var sleeper = Process.Start("ip", ["netns", "exec", lab.Prefix + "a", "sleep", "60"]);
        Thread.Sleep(200);
        Assert.Equal(0, Script("down", lab.Prefix).ExitCode);
        Assert.True(sleeper.WaitForExit(5000));
        Assert.Empty(lab.Namespaces());
    }

    [NamespaceFact]
    public void Sweep_removes_labs_whose_owner_has_exited_and_keeps_live_ones()
    {
        using var exited = Process.Start("true")!;
        exited.WaitForExit();
        var orphan = Script("prefix", exited.Id.ToString()).StandardOutput.Trim();
        Assert.Equal(0, Script("ns", orphan, "x").ExitCode);
        using var live = Support.Lab.Create("y");

        Assert.Equal(0, Script("sweep").ExitCode);

        Assert.DoesNotContain(orphan + "x", AllNamespaces());
        Assert.Contains(live.Prefix + "y", AllNamespaces());
    }
}
