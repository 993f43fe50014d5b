using System.Text.RegularExpressions;

namespace Kefu.Service.Routing;

/// <summary>
/// The phrase rules the router starts from. Each is a regular expression over the normalised (NFKC, lower-case)
/// message; they are deliberately about how customers phrase requests, and everything they do not settle is left
/// to retrieval scores (and the model, when one is configured).
/// </summary>
internal static partial class RouterRules
{
    // Asking for a person, not asking about one ("人工客服几点下班" is a knowledge question).
    [GeneratedRegex(@"(转|找|要|接|换|叫)(个|一下|一个|下)?(人工|真人|客服人员|真人客服)|(跟|和|与)真人|真人客服|活人|^人工(客服|服务)?[!！。.~？?]*$|人工(客服)?(呢|在吗|在不在)")]
    public static partial Regex HumanRequest();

    // Complaints that go to a person at once: formal complaints, regulators, lawyers, fraud accusations.
    [GeneratedRegex(@"投诉|举报|12315|消协|曝光|律师|起诉")]
    public static partial Regex StrongComplaint();

    [GeneratedRegex(@"垃圾|太差|太烂|什么破|破服务|破ai|差评|气死|生气|无语|坑人|坑爹|失望|恶心|骗子|蠢|态度.{0,2}差|搞什么|怎么回事|太慢了|等了.{0,4}(好几天|一周|一个星期|半个月)|还不回")]
    public static partial Regex Upset();

    [GeneratedRegex(@"(改|修改|更改|更换|换|变更)(一下|个|下)?(收货|收件|配送|寄送|送货)?地址|地址.{0,3}(写错|填错|错了|不对|改|换)|(改|换)(送|寄)到")]
    public static partial Regex ChangeAddress();

    [GeneratedRegex(@"(我要|我想|想要|我需要|帮我|给我|麻烦|申请|要求|直接|想)(.{0,8})(退款|退货|退钱|退掉|退了)|(退款|退货)吧|不要了.{0,6}退|把.{0,12}退(了|掉)")]
    public static partial Regex RefundRequest();

    // How-to wording: "我想退货怎么操作" asks about the procedure unless an order number makes it a request.
    [GeneratedRegex(@"怎么|如何|怎样|流程|多久|几天|运费|规则|政策|能不能|能否|可以吗|可不可以|需要什么|还能.{0,4}吗")]
    public static partial Regex HowTo();

    [GeneratedRegex(@"我的(快递|包裹|物流|货)|到哪(了|儿|里了)|(物流|快递|包裹).{0,3}(到哪|哪一步|在哪|进度)|(发货|发出|寄出)了(吗|没)|还没(到|收到|发货|送到)|物流(信息|状态|到哪|进度|更新|怎么)|查.{0,3}(快递|物流|包裹)|派送|运单|快递单号|签收了(吗|没)")]
    public static partial Regex Tracking();

    // Timing questions are about "my parcel" only when an order is known; otherwise they are shipping policy.
    [GeneratedRegex(@"什么时候(能|可以|会)?(到|送到|送达|发货|发)|(几天|几号|哪天)(能|可以|才能|会)?(到|送到|送达)|多久(能|可以|才能)?(到|送到|发货)")]
    public static partial Regex Timing();

    // Status questions that need a known order to mean "my order" ("现在是什么状态").
    [GeneratedRegex(@"(什么|啥)状态|状态(怎么样|如何|是什么)|怎么样了|进度(如何|怎么样)?|处理(好|完)了(吗|没)")]
    public static partial Regex StatusQuestion();

    [GeneratedRegex(@"(查|看)(一下|下)?(我的)?订单|订单(状态|情况|怎么样|进度|详情|信息)|我的订单|(付款|支付)成功了?(吗|没)|下单成功")]
    public static partial Regex OrderStatus();

    [GeneratedRegex(@"^(你好|您好|hi|hello|hey|哈喽|嗨|在吗|在不在|有人吗|在么|早上好|晚上好|下午好)[\s!！。.~？?呀啊呢,，]*$")]
    public static partial Regex Greeting();

    [GeneratedRegex(@"^(好的?|嗯+|哦+|ok|okay|知道了|明白了|收到|了解)?[,，\s]*(谢谢|感谢|多谢|thx|thanks|thank you|辛苦了)(你|您|啦|了)?[\s!！。.~]*$")]
    public static partial Regex Thanks();

    [GeneratedRegex(@"^(好的?|嗯+)?[,，\s]*(再见|拜拜|没有了|没事了|没别的了|没其他问题了|就这样吧?|bye)[\s!！。.~]*$")]
    public static partial Regex Goodbye();

    [GeneratedRegex(@"你是(谁|机器人|真人|人工|ai|人吗)|你叫什么|是不是机器人")]
    public static partial Regex Identity();

    [GeneratedRegex(@"^(确认|确定|是的?|对的?|好的?|嗯+|可以|没问题|行|ok|yes|提交|申请)[\s!！。.~，,]*(确认|提交|申请|办理)?(吧|的)?[\s!！。.~]*$")]
    public static partial Regex Affirmation();

    [GeneratedRegex(@"^(不|别|取消|算了|先不|不用|不要|no)")]
    public static partial Regex Negation();

    // The customer says the last answer did not help: that answer counts as unresolved too.
    [GeneratedRegex(@"没说清楚|没(回答|解决)|答非所问|不是我问的|听不懂|没用|说了等于没说|还是没|再查查|还没到账|仍然没|依然没")]
    public static partial Regex NotHelped();
}
