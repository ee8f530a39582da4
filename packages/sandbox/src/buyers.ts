/** A saved address at Alipay, with region names as Alipay writes them (national statistics names). */
export interface SandboxAddress {
  readonly fullname: string
  readonly mobilePhone: string
  readonly prov: string
  readonly city: string
  readonly area: string
  readonly address: string
  readonly post: string
}

/** A simulated Alipay buyer. */
export interface SandboxBuyer {
  readonly userId: string
  readonly realName: string
  readonly email: string
  readonly addresses: readonly SandboxAddress[]
}

/** Every simulated buyer logs in with this password; anything else is "wrong". */
export const SANDBOX_PASSWORD = '111111'

export const BUYERS: readonly SandboxBuyer[] = [
  {
    userId: '2088102000000001',
    realName: '张三',
    email: 'zhangsan@buyer.alipay-kit.test',
    addresses: [
      {
        fullname: '张三',
        mobilePhone: '13800000001',
        prov: '上海',
        city: '上海市',
        area: '浦东新区',
        address: '世纪大道100号',
        post: '200120',
      },
      {
        fullname: '张三',
        mobilePhone: '13800000001',
        prov: '北京',
        city: '北京市',
        area: '朝阳区',
        address: '建国路88号',
        post: '100022',
      },
    ],
  },
  {
    userId: '2088102000000002',
    realName: '李四',
    email: 'lisi@buyer.alipay-kit.test',
    addresses: [
      {
        fullname: '李四',
        mobilePhone: '13900000002',
        prov: '吉林省',
        city: '延边朝鲜族自治州',
        area: '延吉市',
        address: '光明街1号',
        post: '133000',
      },
      {
        fullname: '李四',
        mobilePhone: '13900000002',
        prov: '广东省',
        city: '深圳市',
        area: '南山区',
        address: '科技园南路2号',
        post: '518057',
      },
    ],
  },
  {
    userId: '2088102000000003',
    realName: '王芳',
    email: 'wangfang@buyer.alipay-kit.test',
    addresses: [
      {
        fullname: '王芳',
        mobilePhone: '13700000003',
        prov: '四川省',
        city: '阿坝藏族羌族自治州',
        area: '马尔康市',
        address: '达萨街3号',
        post: '624000',
      },
      {
        fullname: '王芳',
        mobilePhone: '13700000003',
        prov: '重庆',
        city: '重庆市',
        area: '渝中区',
        address: '解放碑5号',
        post: '400010',
      },
    ],
  },
]

export function findBuyer(userId: string): SandboxBuyer | undefined {
  return BUYERS.find((buyer) => buyer.userId === userId)
}

/** The address as `receive_address` carries it: a small XML document (user.logistics.address.query). */
export function receiveAddressXml(address: SandboxAddress): string {
  const escapeXml = (text: string) =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const fields: Array<[string, string]> = [
    ['address', address.address],
    ['fullname', address.fullname],
    ['mobile_phone', address.mobilePhone],
    ['post', address.post],
    ['prov', address.prov],
    ['city', address.city],
    ['area', address.area],
  ]
  return `<receive_address>${fields.map(([tag, value]) => `<${tag}>${escapeXml(value)}</${tag}>`).join('')}</receive_address>`
}
