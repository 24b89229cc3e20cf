// Chinese (zh-CN) wording of validation issues, for the console. Expression errors take the expression
// language's own Chinese message; structural issues are translated by pattern; anything else stays English.

/** English issue message → Chinese, filled while one top-level graph is being built. */
export const expressionMessagesZh = new Map<string, string>();

const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^missing input node/, () => '缺少输入节点：决策图需要且只能有一个 inputNode'],
  [/^more than one input node \(first is '(.*)'\)$/, (m) => `输入节点多于一个（第一个是 '${m[1]}'）`],
  [/^output node has no incoming edge/, () => '输出节点没有入边：没有任何节点连到它'],
  [/^input node cannot have incoming edges$/, () => '输入节点不能有入边'],
  [/^cycle detected: (.*)$/, (m) => `存在环路：${m[1]}`],
  [/^node is not reachable from the input node$/, () => '从输入节点无法到达该节点'],
  [/^edge '(.*)' is dangling: (sourceId|targetId) (.*) names no node$/, (m) => `连线 '${m[1]}' 悬空：${m[2]} ${m[3]} 不是任何节点`],
  [/^edge '(.*)' leaves from '(.*)', which is not a branch of this node/, (m) => `连线 '${m[1]}' 的出口 '${m[2]}' 不是该节点的分支`],
  [/^duplicate node id '(.*)'$/, (m) => `节点 id 重复：'${m[1]}'`],
  [/^node needs a non-empty string id$/, () => '节点需要非空的字符串 id'],
  [/^unknown node type (.*?) \(/, (m) => `未知的节点类型 ${m[1]}`],
  [/^functionNode \(arbitrary JavaScript\) is not supported/, () => '不支持 functionNode（任意 JavaScript 代码）：请改用表达式、决策表、分支节点或已注册的自定义节点'],
  [/^unknown customNode kind '(.*?)'/, (m) => `未知的自定义节点类型 '${m[1]}'`],
  [/^customNode needs content\.kind$/, () => '自定义节点需要 content.kind'],
  [/^(\w+) needs a content object$/, (m) => `${m[1]} 需要 content 对象`],
  [/^sub-decision '(.*)' not found by the loader$/, (m) => `找不到子决策 '${m[1]}'`],
  [/^sub-decision '(.*)' cannot be resolved: no loader/, (m) => `无法解析子决策 '${m[1]}'：未提供 loader`],
  [/^sub-decision cycle: (.*)$/, (m) => `子决策循环引用：${m[1]}`],
  [/^not valid JSON: (.*)$/, (m) => `不是合法的 JSON：${m[1]}`],
  [/^a decision graph must be an object/, () => '决策图必须是包含 nodes 和 edges 的对象'],
  [/^`(nodes|edges)` must be an array$/, (m) => `${m[1]} 必须是数组`],
  [/is not a usable dotted path$/, () => '不是可用的点分路径'],
  [/^the list node needs name lists/, () => '名单节点需要名单服务：请向 compileDecision 传入 lists'],
  [/^the model node needs a model host/, () => '模型节点需要模型服务：请向 compileDecision 传入 models'],
];

export function issueMessageZh(message: string): string | undefined {
  const direct = expressionMessagesZh.get(message);
  if (direct) return direct;
  for (const [re, zh] of PATTERNS) {
    const m = re.exec(message);
    if (m) return zh(m);
  }
  return undefined;
}
