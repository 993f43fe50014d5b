using Microsoft.Playwright;

namespace Kefu.Browser.Tests.Support;

/// <summary>
/// Headless Chromium driven by Playwright, with the system browser as its executable (never a downloaded one), and
/// the screenshots a test takes: written to $KEFU_TEST_ARTIFACTS/screenshots when set, else beside the test
/// binaries, and attached to the test result.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private int _shots;

    private BrowserSession(IPlaywright playwright, IBrowser browser, string screenshots)
    {
        _playwright = playwright;
        Browser = browser;
        ScreenshotDirectory = screenshots;
    }

    public IBrowser Browser { get; }

    public string ScreenshotDirectory { get; }

    public static async Task<BrowserSession> StartAsync(string testName)
    {
        var executable = await Chromium.RequireAsync();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
        });
        var root = Environment.GetEnvironmentVariable("KEFU_TEST_ARTIFACTS") is { Length: > 0 } artifacts
            ? artifacts
            : AppContext.BaseDirectory;
        var folder = Path.Combine(root, "screenshots", testName);
        Directory.CreateDirectory(folder);
        return new BrowserSession(playwright, browser, folder);
    }

    /// <summary>A fresh browser profile (cookies, storage) at a given window size.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 800) =>
        Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "zh-CN", TimezoneId = "Asia/Shanghai" });

    /// <summary>Saves a numbered screenshot of the page and attaches it to the test result.</summary>
    public async Task ScreenshotAsync(IPage page, string name)
    {
        var file = Path.Combine(ScreenshotDirectory, $"{Interlocked.Increment(ref _shots):00}-{name}.png");
        var bytes = await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        TestContext.Current.AddAttachment(Path.GetFileName(file), bytes, "image/png");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
