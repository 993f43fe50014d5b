using Kefu.Server.DemoShop;
using Kefu.Testing;

namespace Kefu.Server.Tests.DemoShop;

public sealed class ShopStoreTests
{
    [Fact]
    public void OpenAndSeed_OnAnExistingDatabase_ReseedsInsteadOfFailing()
    {
        // `kefu serve --demo` run twice reuses the same shop.db: the second start must reset it, not crash.
        using var temp = new TempDirectory();
        var seed = Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce", "orders.json");
        var database = temp.File("shop.db");
        var first = ShopStore.OpenAndSeed(database, seed);
        first.Update("ORD12348", order =>
        {
            order!["status"] = "已取消";
            return (true, true);
        });

        var second = ShopStore.OpenAndSeed(database, seed);

        second.Find("ORD12348")!["status"]!.GetValue<string>().ShouldBe("待发货");
    }
}
