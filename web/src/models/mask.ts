// Personal data in model tables: a categorical feature trained on phones, ID numbers or names would show its
// raw values as bin labels. Labels of personal fields are masked, and phone / ID / card numbers anywhere.
import { isPersonalField, maskBankCard, maskField, maskIdNumber, maskPhone } from '../../../src/core/mask.js';

const ID_NUMBER = /(?<!\d)\d{17}[\dXx](?!\d)/g;
const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const CARD = /(?<!\d)\d{15,19}(?!\d)/g;

export function maskLabel(feature: string, label: string): string {
  const key = feature.split('.').pop() ?? feature;
  if (isPersonalField(key)) return label.split(', ').map((v) => maskField(key, v)).join(', ');
  return label.replace(ID_NUMBER, maskIdNumber).replace(PHONE, maskPhone).replace(CARD, maskBankCard);
}
