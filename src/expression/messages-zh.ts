// zh-CN wording of ExpressionError reasons, for the console editor. Unknown reasons fall back to English.

const RULES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Unexpected token '(.*)'$/s, (m) => `意外的符号 '${m[1]}'`],
  [/^Unexpected end of expression$/, () => '表达式意外结束'],
  [/^Unexpected character '(.*)'$/s, (m) => `非法字符 '${m[1]}'`],
  [/^Unterminated string$/, () => '字符串缺少结束引号'],
  [/^Unterminated template (string|expression)$/, () => '模板字符串未闭合'],
  [/^Expression nesting too deep \(limit (\d+)\)$/, (m) => `表达式嵌套过深（上限 ${m[1]}）`],
  [/^Expression too long: (\d+) characters \(limit (\d+)\)$/, (m) => `表达式过长：${m[1]} 个字符（上限 ${m[2]}）`],
  [/^Unknown function '(.*)'$/, (m) => `未知函数 '${m[1]}'`],
  [/^Unknown method '(.*)'$/, (m) => `未知方法 '${m[1]}'`],
  [/^Unknown closure function '(.*)'$/, (m) => `未知闭包函数 '${m[1]}'`],
  [/^(\S+)\(\) takes (.+?) arguments?, got (\d+)$/, (m) => `${m[1]}() 需要 ${m[2].replace(' to ', '~')} 个参数，实际为 ${m[3]} 个`],
  [/^'#' is only allowed inside a closure argument$/, () => "'#' 只能在闭包参数（如 map、filter）中使用"],
  [/^Invalid assignment target$/, () => '无效的赋值目标'],
  [/^Invalid join operator '(.*)'$/, (m) => `无效的连接运算符 '${m[1]}'（可用 and、or、逗号）`],
  [/^Cannot apply '(.+)' to (\w+) and (\w+)$/, (m) => `不能对 ${m[2]} 和 ${m[3]} 使用 '${m[1]}'`],
  [/^'(and|or|not)' expects a boolean, got (\w+)$/, (m) => `'${m[1]}' 需要布尔值，实际为 ${m[2]}`],
  [/^Unary '(.)' expects a number, got (\w+)$/, (m) => `一元 '${m[1]}' 需要数字，实际为 ${m[2]}`],
  [/^Method '(.*)' expects a date, got (\w+)$/, (m) => `方法 '${m[1]}' 需要日期值，实际为 ${m[2]}`],
  [/^(\S+)\(\) expects (an? )?(.+?), (?:got|found) (\w+)$/, (m) => `${m[1]}() 需要 ${m[3]}，实际为 ${m[4]}`],
  [/^(\S+)\(\) of an empty array$/, (m) => `${m[1]}() 的参数是空数组`],
  [/^Range too large to iterate: (\d+) elements \(limit (\d+)\)$/, (m) => `区间过大，无法遍历：${m[1]} 个元素（上限 ${m[2]}）`],
  [/^Only numeric ranges can be iterated$/, () => '只有数字区间可以遍历'],
  [/^Too many closure iterations \(limit (\d+) per evaluation\)$/, (m) => `闭包迭代次数过多（每次求值上限 ${m[1]}）`],
  [/^Regular expression too long \(limit (\d+) characters\)$/, (m) => `正则表达式过长（上限 ${m[1]} 个字符）`],
  [/^Backreferences and lookaround are not supported in regular expressions$/, () => '正则表达式不支持反向引用和环视'],
  [/^Regular expression has a quantified group/, () => '正则表达式中的量词分组内含量词或分支，可能导致灾难性回溯'],
  [/^Invalid regular expression: (.*)$/s, (m) => `无效的正则表达式：${m[1]}`],
  [/^String too long for a regular expression \(limit (\d+) characters\)$/, (m) => `字符串过长，不能用于正则匹配（上限 ${m[1]} 个字符）`],
  [/^fuzzyMatch\(\) strings too long/, () => 'fuzzyMatch() 的字符串过长'],
  [/^Unknown time zone '(.*)'$/, (m) => `未知时区 '${m[1]}'`],
  [/^Time zone must be a string$/, () => '时区必须是字符串'],
  [/^Unknown date unit '(.*)'$/, (m) => `未知日期单位 '${m[1]}'`],
  [/^Invalid duration '(.*)'$/, (m) => `无效的时长 '${m[1]}'`],
  [/^Invalid date '(.*)'$/, (m) => `无效日期 '${m[1]}'`],
  [/^Expected a date, got (\w+)$/, (m) => `需要日期值，实际为 ${m[1]}`],
  [/^Cannot format an invalid date$/, () => '无法格式化无效日期'],
  [/^Cannot slice (\w+)$/, (m) => `不能对 ${m[1]} 切片`],
  [/^Slice bounds must be integers$/, () => '切片边界必须是整数'],
  [/^Cannot convert (\w+) to a string$/, (m) => `不能把 ${m[1]} 转换为字符串`],
  [/^(\S+)\(\) cannot convert (.*)$/, (m) => `${m[1]}() 无法转换 ${m[2]}`],
  [/^Number overflow$/, () => '数值溢出'],
  [/^Data nested too deep/, () => '数据嵌套过深'],
];

export function reasonZh(reason: string): string {
  for (const [re, render] of RULES) {
    const m = re.exec(reason);
    if (m) return render(m);
  }
  return reason;
}
