namespace Kefu.Safety.Injection;

/// <summary>
/// The built-in prompt-injection heuristics, Chinese and English. Each was checked against the demo shop's ordinary
/// customer messages: the words customers use innocently (规则, 限制, 密码, 重复, 测试) only count when qualified
/// (之前的…规则, 数据库密码) or carry a weight below the threshold.
/// </summary>
public static class DefaultInjectionRules
{
    /// <summary>Characters that end a clause in the compact form; gaps inside a rule never cross them.</summary>
    private const string Clause = "[^。，！？；：,!?;:]";

    private const string Earlier = "(之前|以上|上面|前面|上述|先前|此前|刚才|原来|原有|原先|所有|全部|一切|你的|你们的|系统|默认|现有|已有|任何)";

    public static IReadOnlyList<InjectionRule> All { get; } =
    [
        // Overriding the instructions.
        Zh("zh.override.ignore-earlier", InjectionReason.InstructionOverride, 0.9,
            $"(忽略|无视|忽视|不要理会|不用理会|别理会|不要管|别管|抛开|抛弃)掉?{Clause}{{0,4}}?{Earlier}{Clause}{{0,8}}?(指令|指示|规则|设定|提示词|约束|限制|命令|prompt|instructions?)"),
        Zh("zh.override.ignore-all", InjectionReason.InstructionOverride, 0.8,
            "(忽略|无视)掉?(之前|以上|上面|前面|上述|先前|此前)的?(所有|全部|一切)"),
        Zh("zh.override.forget-setup", InjectionReason.InstructionOverride, 0.8,
            $"(忘掉|忘记){Clause}{{0,6}}?(指令|设定|提示词|prompt|人设|角色设定|你的身份)"),
        Zh("zh.override.new-instructions", InjectionReason.InstructionOverride, 0.8,
            "(以下|下面|接下来)(是|为)?(你的)?(新的|最新的|更新的|全新的)(系统)?(指令|指示|设定|prompt)|(新的|最新的)系统(规则|要求)"),
        Zh("zh.override.system-instruction", InjectionReason.InstructionOverride, 0.7,
            "系统(指令|提示词|prompt)|system(prompt|message|instructions?)"),
        Zh("zh.override.from-now-on", InjectionReason.InstructionOverride, 0.3,
            "从现在(起|开始)(你|所有|一律|全部|任何|都)"),
        Zh("zh.override.skip-confirmation", InjectionReason.InstructionOverride, 0.3,
            "(不用|不需要|无需|跳过)再?(确认|审核|验证)"),

        // Personas and role-play.
        Zh("zh.roleplay.dan", InjectionReason.RolePlay, 0.9,
            "你(现在|从现在起)?就?是(一个)?(dan|stan|dude)(?![a-z])|(?<![a-z])dan(?![a-z])模式|doanythingnow"),
        Zh("zh.roleplay.persona", InjectionReason.RolePlay, 0.55,
            "扮演|假扮|角色扮演|cosplay|假装(你|自己)是|你的?新身份是|你不再是"),
        Zh("zh.roleplay.unrestricted", InjectionReason.RolePlay, 0.45,
            "(不受|摆脱|突破|解除|无视)(任何|所有|一切)?的?(规则|限制|约束|道德|审查|过滤|束缚|规定)|没有(任何)?(道德|审查)(限制|约束)?"),
        Zh("zh.roleplay.must-answer", InjectionReason.RolePlay, 0.4,
            "(什么|任何|所有)(问题|要求)?都(必须|要|得|可以)(回答|回复|照做|满足)"),
        Zh("zh.roleplay.game", InjectionReason.RolePlay, 0.3,
            "(我们)?来?玩(个|一个)(游戏|角色)"),
        Zh("zh.roleplay.grandma", InjectionReason.RolePlay, 0.4,
            $"(奶奶|外婆|姥姥|爷爷){Clause}{{0,12}}?(念|讲|读|告诉|说){Clause}{{0,12}}?(规则|密码|密钥|提示词|配置|序列号|激活码)"),

        // Extracting the prompt or internals.
        Zh("zh.extract.system-prompt", InjectionReason.PromptExtraction, 0.85,
            "(系统|初始|原始|隐藏|内置|底层|后台)(提示词|prompt|指令|设定)"),
        Zh("zh.extract.prompt-word", InjectionReason.PromptExtraction, 0.6,
            "提示词|(?<![a-z])prompt(?![a-z])"),
        Zh("zh.extract.reveal", InjectionReason.PromptExtraction, 0.8,
            "(告诉|发给?|给|输出|打印|显示|展示|透露|泄露|复述|重复|说出|念|列出)(一下)?我?(你的|你们的)?(全部|完整|所有|原始)?(提示词|prompt|指令|初始设定|系统设定)"),
        Zh("zh.extract.verbatim", InjectionReason.PromptExtraction, 0.6,
            "(原样|原封不动|一字不差|逐字)地?(重复|复述|输出|打印|发|贴|写)"),
        Zh("zh.extract.repeat-above", InjectionReason.PromptExtraction, 0.45,
            $"(上面|以上|前面|之前|最开始|最初|开头)的?(对话|内容|文字|设定|指令|消息|话){Clause}{{0,8}}?(重复|复述|输出|打印)"),
        Zh("zh.extract.first-setup", InjectionReason.PromptExtraction, 0.7,
            "(最开始|最初|开头|一开始)的?(那段|那些|那个)?(设定|指令|提示|规则|system)"),
        Zh("zh.extract.internal", InjectionReason.PromptExtraction, 0.6,
            "(内部|后台|隐藏)的?(规则|配置|设定|参数|指令|文档)"),

        // Secrets, authority, bulk data.
        Zh("zh.secret.credentials", InjectionReason.SecretRequest, 0.75,
            "(数据库|后台|管理员|管理|接口|服务器|api|root|admin)的?(密码|密钥|口令|token|key|账号密码)|(访问|私有|secret)(密钥|key|token)|apikey"),
        Zh("zh.authority.staff", InjectionReason.FakeAuthority, 0.5,
            "我(是|就是)(你们|贵公司|你们公司|这里|平台)?的?(系统|技术|后台)?(管理员|开发者|开发人员|程序员|工程师|运维|超级用户|root|admin)"),
        Zh("zh.authority.mode", InjectionReason.FakeAuthority, 0.45,
            "(开发者|调试|测试|维护|管理员|上帝|越狱|无限制|debug|developer|god)模式"),
        Zh("zh.authority.approved", InjectionReason.FakeAuthority, 0.35,
            "(老板|领导|主管|经理)(已经)?(同意|批准|授权|允许)了?"),
        Zh("zh.exfil.bulk", InjectionReason.DataExfiltration, 0.75,
            "(所有|全部|其他|别的|每个)的?(用户|顾客|客户|会员|买家)的?(手机号?|电话|号码|联系方式|地址|住址|信息|资料|数据|订单|身份证)"),

        // One other person's data ("查一下别人的订单地址"): asking for it is the request, not mentioning them.
        Zh("zh.exfil.other-person", InjectionReason.DataExfiltration, 0.6,
            "(查|看|告诉我|给我|发我|要|找)(一下|下)?(别人|他人|其他人|陌生人|其他顾客|其他用户|同事|邻居)的.{0,4}(订单|地址|住址|电话|手机号?|信息|身份证)"
            + "|(别人|他人|陌生人|同事|邻居)的(订单|单).{0,12}(告诉我|查|寄到|地址|电话|手机)"),

        // Template markers and English variants.
        En("any.template-markers", InjectionReason.TemplateInjection, 0.9,
            @"<\|[a-z_]{2,20}\|>|\[/?inst\]|<</?sys>>|###\s*(system|instruction)|^\s*system\s*[:：]"),
        En("en.override.ignore", InjectionReason.InstructionOverride, 0.9,
            @"\b(ignore|disregard|forget|override|bypass)\b[^.!?\n]{0,30}?\b(instructions?|prompts?|rules|directions|guidelines|directives)\b"),
        En("en.roleplay.persona", InjectionReason.RolePlay, 0.6,
            @"\b(you are now|from now on,? you are|pretend (to be|you are|you're)|act as (a|an|if|my)|role-?play|jailbreak|developer mode|do anything now|dan mode)\b"),
        En("en.roleplay.identity", InjectionReason.RolePlay, 0.4,
            @"\bsay (that )?you are\b|\byou are (chatgpt|gpt-?\d|an unrestricted|no longer)\b"),
        En("en.extract.prompt", InjectionReason.PromptExtraction, 0.85,
            @"\b(system prompt|initial prompt|hidden prompt|your (instructions|system message|prompt))\b"),
        En("en.extract.repeat", InjectionReason.PromptExtraction, 0.5,
            @"\b(repeat|print|reveal|output|write out)\b[^.!?\n]{0,30}\b(above|prompt|instructions)\b"),
        En("en.secret.credentials", InjectionReason.SecretRequest, 0.75,
            @"\b(api key|secret key|access token|database password|admin password)\b"),
    ];

    private static InjectionRule Zh(string id, InjectionReason reason, double weight, string pattern) =>
        new(id, reason, weight, InjectionTextForm.Compact, pattern);

    private static InjectionRule En(string id, InjectionReason reason, double weight, string pattern) =>
        new(id, reason, weight, InjectionTextForm.Spaced, pattern);
}
