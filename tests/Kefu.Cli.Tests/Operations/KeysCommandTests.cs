using Kefu.Cli.Tests.Support;
using Kefu.Testing;

namespace Kefu.Cli.Tests.Operations;

public sealed class KeysCommandTests
{
    [Fact]
    public async Task KeysAddListRevoke_PrintTheKeyOnce_StoreOnlyItsDigest_AndListWithoutIt()
    {
        using var temp = new TempDirectory();
        var file = temp.File("keys.json");

        var add = await CliRun.RunSplitAsync("keys", "add", "--file", file, "--name", "shop-widget");
        var key = add.Output.Split('\n')[0].Trim();
        var list = await CliRun.RunSplitAsync("keys", "list", "--file", file);
        var revoke = await CliRun.RunSplitAsync("keys", "revoke", "--file", file, "--name", "shop-widget");
        var again = await CliRun.RunSplitAsync("keys", "revoke", "--file", file, "--name", "shop-widget");

        add.ExitCode.ShouldBe(0, add.Error);
        key.ShouldStartWith("kf_");
        File.ReadAllText(file).ShouldNotContain(key);
        list.ExitCode.ShouldBe(0, list.Error);
        list.Output.ShouldContain("shop-widget");
        list.Output.ShouldContain("customer");
        list.Output.ShouldNotContain(key);
        revoke.ExitCode.ShouldBe(0, revoke.Error);
        again.ExitCode.ShouldBe(1);
        again.Output.ShouldContain("no active key named shop-widget");
    }

    [Fact]
    public async Task KeysAdd_UnknownRole_IsRejectedNamingTheRoles()
    {
        using var temp = new TempDirectory();

        var result = await CliRun.RunSplitAsync("keys", "add", "--file", temp.File("keys.json"), "--name", "x", "--role", "root");

        result.ExitCode.ShouldBe(2);
        result.Output.ShouldContain("customer or agent");
        File.Exists(temp.File("keys.json")).ShouldBeFalse();
    }
}
